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
        try {
            Path out = Files.createTempFile("handover", ".out");
            Path err = Files.createTempFile("handover", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("handover " + String.join(" ", args) + " did not end in 120 s");
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
