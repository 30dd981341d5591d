package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks a bash completion script what it offers, the way bash does when TAB is pressed. */
public final class BashCompletion {

    private BashCompletion() {}

    /** The words {@code script} offers at the end of {@code line} ("handover sw" offers "switchover"). */
    public static List<String> complete(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        // compopt works only inside a completion that bash itself started: a no-op stands in for it
        String bash = "compopt() { :; }; source '" + script + "'; COMP_WORDS=(" + words + ");"
                + " COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE};"
                + " _complete_handover; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Path err = Files.createTempFile("completion", ".err");
        try {
            Process process = new ProcessBuilder("bash", "-c", bash).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("bash ended").isTrue();
            assertThat(Files.readString(err)).as(line).isEmpty();
            assertThat(process.exitValue()).as(line).isZero();
            return out.lines().filter(word -> !word.isEmpty()).toList();
        } finally {
            Files.delete(err);
        }
    }
}
