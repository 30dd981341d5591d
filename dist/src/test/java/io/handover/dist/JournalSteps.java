package io.handover.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the end-to-end tests read back from the journal: the steps' outcomes and their runs. */
final class JournalSteps {

    private JournalSteps() {}

    /** Each finished step as "command step outcome"; the "started" records before them are left out. */
    static List<String> of(Path journal) {
        ObjectMapper json = new ObjectMapper();
        List<String> steps = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(journal)) {
                JsonNode entry = json.readTree(line);
                if (!entry.get("outcome").asText().equals("started")) {
                    steps.add(entry.get("command").asText() + " " + entry.get("step").asText() + " " + entry.get("outcome").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return steps;
    }

    /** The run ids of {@code command}'s entries ("mha-hook start"): MHA's stop and its start share one. */
    static java.util.Set<String> runs(Path journal, String command) {
        ObjectMapper json = new ObjectMapper();
        java.util.Set<String> runs = new java.util.HashSet<>();
        try {
            for (String line : Files.readAllLines(journal)) {
                JsonNode entry = json.readTree(line);
                if (entry.get("command").asText().equals(command)) {
                    runs.add(entry.path("run").asText(null));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runs;
    }
}
