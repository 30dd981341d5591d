package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged {@code bin/handover}, run as a separate process the way MHA and users run it. */
final class Installed {

    static final Path HOME = Path.of("target/handover").toAbsolutePath();
    static final Path LAUNCHER = HOME.resolve("bin/handover");

    record Run(int exitCode, String stdout, String stderr, Duration elapsed) {}

    private Installed() {}

    static Run handover(Map<String, String> environment, String... args) {
        assertThat(LAUNCHER).as("run mvn package first: the distribution is missing").isExecutable();
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        return run(environment, command);
    }

    /**
     * What `handover version` must call the commit the tree was built from: this clone's HEAD (the
     * build and the tests run on one checkout), or "unknown" outside git.
     */
    static String builtCommit() {
        Run status = run(Map.of(), List.of("git", "status", "--porcelain", "--untracked-files=no"));
        if (status.exitCode() != 0) {
            return "unknown";
        }
        String head = run(Map.of(), List.of("git", "rev-parse", "--short=7", "HEAD")).stdout().strip();
        return status.stdout().isBlank() ? head : head + " with uncommitted changes";
    }

    /** Any command, as a separate process with this environment added; at most 120 s. */
    static Run run(Map<String, String> environment, List<String> command) {
        String line = String.join(" ", command);
        try {
            Path out = Files.createTempFile("handover", ".out");
            Path err = Files.createTempFile("handover", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(line + " did not end in 120 s");
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), elapsed);
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
