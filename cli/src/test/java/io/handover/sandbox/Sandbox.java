package io.handover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real replication lab that {@code sandbox/sandbox up} builds: three MariaDB hosts in network
 * namespaces, a three-server Consul cluster, sshd and MHA. Integration tests drive it through the
 * script's own subcommands, so that what a test does to the lab is what a user can do by hand.
 */
public final class Sandbox {

    private static final Path ROOT = findRoot();

    private Sandbox() {}

    public static Path root() {
        return ROOT;
    }

    /** The lab's state directory; {@code HANDOVER_SANDBOX_DIR} moves it, as for the script. */
    public static Path dir() {
        String configured = System.getenv("HANDOVER_SANDBOX_DIR");
        return configured != null ? Path.of(configured) : ROOT.resolve(".sandbox");
    }

    /** The lab's /24 prefix; {@code HANDOVER_SANDBOX_NET} moves it, as for the script. */
    public static String net() {
        String configured = System.getenv("HANDOVER_SANDBOX_NET");
        return configured != null ? configured : "198.51.100";
    }

    /** A lab host's address: db1..db3 are .11-.13, the Consul servers c1..c3 .21-.23. */
    public static String address(String host) {
        int number = Integer.parseInt(host.substring(host.length() - 1));
        return net() + "." + (host.startsWith("db") ? 10 + number : 20 + number);
    }

    /** The handover.conf that {@code sandbox up} wrote; fails the test with what to run if the lab is down. */
    public static Path config() {
        Path config = dir().resolve("handover.conf");
        assertThat(config).as("the sandbox is not up: run sandbox/sandbox up (the README's test command does)").exists();
        return config;
    }

    /** Runs {@code sandbox/sandbox ARGS...}; fails the test if it fails. Returns its stdout. */
    public static String run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs {@code sandbox/sandbox ARGS...} with extra environment variables; fails the test if it fails. */
    public static String run(Map<String, String> environment, String... args) {
        Result result = tryRun(environment, args);
        assertThat(result.exitCode()).as("sandbox/sandbox %s failed:%n%s", String.join(" ", args), result.output()).isZero();
        return result.output();
    }

    /** Runs {@code sandbox/sandbox ARGS...} and returns its exit code and output, whatever they are. */
    public static Result tryRun(String... args) {
        return tryRun(Map.of(), args);
    }

    public static Result tryRun(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("sandbox/sandbox").toString());
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("sandbox", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("sandbox/sandbox " + String.join(" ", args) + " did not finish in 120 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run sandbox/sandbox", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs one SQL statement on a host as its root user; returns tab-separated rows. */
    public static String sql(String host, String statement) {
        return run("sql", host, statement).strip();
    }

    public record Result(int exitCode, String output) {}

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("sandbox/sandbox"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (a directory with sandbox/sandbox) above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
