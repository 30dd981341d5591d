package io.handover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real replication lab that {@code sandbox/sandbox up} builds: three MariaDB or Oracle MySQL
 * hosts in network namespaces, a three-server Consul cluster, sshd and MHA. Integration tests drive
 * it through the script's own subcommands, so that what a test does to the lab is what a user can
 * do by hand. The statements below that differ between the flavours ({@link #stopReplication()} and
 * the like) let one test run on either.
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

    /**
     * Whether the lab runs Oracle MySQL: what the lab's state dir remembers ({@code up --flavor}),
     * else {@code HANDOVER_SANDBOX_FLAVOR} ({@code sandbox/sandbox env} prints it), else MariaDB.
     */
    public static boolean mysql() {
        return "mysql".equals(flavor());
    }

    /** {@code mariadb} or {@code mysql}; a variable that contradicts the lab (a stale environment) fails the test. */
    public static String flavor() {
        String configured = System.getenv("HANDOVER_SANDBOX_FLAVOR");
        configured = configured == null || configured.isBlank() ? null : configured.strip();
        Path file = dir().resolve("flavor");
        try {
            String remembered = Files.exists(file) ? Files.readString(file).strip() : null;
            if (remembered != null && configured != null && !remembered.equals(configured)) {
                throw new IllegalStateException("HANDOVER_SANDBOX_FLAVOR is " + configured + " but the lab in " + dir() + " runs "
                        + remembered + ": eval \"$(sandbox/sandbox env)\" again");
            }
            return remembered != null ? remembered : configured != null ? configured : "mariadb";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How handover's status names the lab's servers: {@code MariaDB} or {@code MySQL}. */
    public static String flavorName() {
        return mysql() ? "MySQL" : "MariaDB";
    }

    /** Stops both replication threads (MySQL 8.4+ knows only the REPLICA words). */
    public static String stopReplication() {
        return mysql() ? "STOP REPLICA" : "STOP SLAVE";
    }

    public static String stopSqlThread() {
        return mysql() ? "STOP REPLICA SQL_THREAD" : "STOP SLAVE SQL_THREAD";
    }

    /** Makes a running replica apply every event {@code seconds} after its source wrote it. */
    public static String delayReplication(int seconds) {
        return mysql()
                ? "STOP REPLICA; CHANGE REPLICATION SOURCE TO SOURCE_DELAY = " + seconds + "; START REPLICA"
                : "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = " + seconds + "; START SLAVE";
    }

    /** Stops and forgets replication: the server replicates from nothing. */
    public static String forgetReplication() {
        return mysql() ? "STOP REPLICA; RESET REPLICA ALL" : "STOP SLAVE; RESET SLAVE ALL";
    }

    /** Makes a server writable (MySQL: super_read_only too, which read_only = 0 also clears). */
    public static String makeWritable() {
        return mysql() ? "SET GLOBAL super_read_only = 0; SET GLOBAL read_only = 0" : "SET GLOBAL read_only = 0";
    }

    /** The GTID position of what {@code host} executed, as handover prints it (MySQL: newlines removed). */
    public static String executedGtids(String host) {
        return sql(host, mysql() ? "SELECT @@GLOBAL.gtid_executed" : "SELECT @@GLOBAL.gtid_binlog_pos").replace("\\n", "");
    }

    /** The prefix of the GTIDs {@code host} writes as a master: MariaDB {@code 0-N-}, MySQL {@code <server_uuid>:}. */
    public static String ownGtidPrefix(String host) {
        return mysql() ? sql(host, "SELECT @@server_uuid") + ":" : "0-" + host.substring(2) + "-";
    }

    /** A lab host's address: db1..db3 are .11-.13, the Consul servers c1..c3 .21-.23. */
    public static String address(String host) {
        int number = Integer.parseInt(host.substring(host.length() - 1));
        return net() + "." + (host.startsWith("db") ? 10 + number : 20 + number);
    }

    /** The machine's load averages over 1, 5 and 15 minutes, as benchmarks print them beside their numbers. */
    public static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
