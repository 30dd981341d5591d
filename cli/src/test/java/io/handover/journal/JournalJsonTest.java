package io.handover.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's lines are the bytes the ObjectMapper with the Java time module wrote before it was
 * dropped from the hooks' path (the mapper below is configured as Journal's was), and journals
 * written by it read the same.
 */
class JournalJsonTest {

    /** How Journal wrote and read lines until the streaming writer replaced it. */
    private static final ObjectMapper BEFORE = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path dir;

    /** Entries with every kind of value a field can hold, times of every precision and text that needs escaping. */
    private static final List<JournalEntry> ENTRIES = List.of(
            new JournalEntry(Instant.parse("2026-11-30T20:40:08.235548951Z"), "mha-hook start", "c1", null, "lock", "started", 0, null,
                    "77543baac93bb72f", "249e4393"),
            new JournalEntry(Instant.parse("2026-01-02T03:04:05Z"), "switchover", "main", "consul service main-master", "verify db2", "ok",
                    68, "catalog agrees after 3 ms; dns 127.0.0.1:8600 agrees after 44 ms", "7f", null),
            new JournalEntry(Instant.parse("2026-01-02T03:04:05.100Z"), "register", "main", null, "lock", "ok", 1, null),
            new JournalEntry(Instant.parse("2026-01-02T03:04:05.000120Z"), "mha-hook stop", "ma\u00efn", "vip 198.51.100.50/24 on eth0",
                    "fence db1", "failed", Long.MAX_VALUE, "error: \"quoted\" \\ back\tslash\nnew line \u0001 \u007f \u00e9t\u00e9 \u65e5\u672c \ud83d\ude00 </script>",
                    "id", "0badc0de"),
            new JournalEntry(Instant.EPOCH, "x", "y", "", "", "refused", -1, "", "", ""),
            new JournalEntry(Instant.parse("+10000-01-01T00:00:00.000000001Z"), "x", "y", null, "s", "proceeded", 5, null, null, null),
            new JournalEntry(null, null, null, null, null, null, 0, null, null, null));

    @Test
    void aLineIsTheBytesTheTimeModuleWrote() throws Exception {
        for (JournalEntry entry : ENTRIES) {
            assertThat(Journal.toJson(entry)).isEqualTo(BEFORE.writeValueAsString(entry));
        }
    }

    @Test
    void linesWrittenBeforeReadAsTheyDidAndNewLinesReadTheSameBothWays() throws Exception {
        for (JournalEntry entry : ENTRIES) {
            String before = BEFORE.writeValueAsString(entry);
            assertThat(Journal.fromJson(before)).isEqualTo(entry).isEqualTo(BEFORE.readValue(before, JournalEntry.class));
            assertThat(BEFORE.readValue(Journal.toJson(entry), JournalEntry.class)).isEqualTo(entry);
        }
    }

    @Test
    void aJournalWrittenByTheTimeModuleReadsTheSameAndGrowsByTheSameLines() throws Exception {
        Path file = dir.resolve("main.jsonl");
        StringBuilder written = new StringBuilder();
        for (JournalEntry entry : ENTRIES.subList(0, 3)) {
            written.append(BEFORE.writeValueAsString(entry)).append('\n');
        }
        // lines of the first journals: no id, no run
        written.append("{\"time\":\"2026-01-02T03:04:06Z\",\"command\":\"register\",\"cluster\":\"main\",\"backend\":null,\"step\":\"lock\","
                + "\"outcome\":\"ok\",\"durationMs\":3,\"detail\":\"x\"}\n");
        Files.writeString(file, written, StandardCharsets.UTF_8);
        Journal journal = new Journal(dir, directory -> {});

        List<JournalEntry> appended = ENTRIES.subList(3, ENTRIES.size()).stream()
                .map(entry -> new JournalEntry(entry.time(), entry.command(), "main", entry.backend(), entry.step(), entry.outcome(),
                        entry.durationMs(), entry.detail(), entry.id(), entry.run()))
                .toList();
        for (JournalEntry entry : appended) {
            journal.append(entry);
            written.append(BEFORE.writeValueAsString(entry)).append('\n');
        }

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(written.toString());
        assertThat(journal.read("main")).startsWith(ENTRIES.get(0), ENTRIES.get(1), ENTRIES.get(2),
                new JournalEntry(Instant.parse("2026-01-02T03:04:06Z"), "register", "main", null, "lock", "ok", 3, "x"))
                .endsWith(appended.toArray(JournalEntry[]::new)).hasSize(4 + appended.size());
    }

    @Test
    void whatTheTimeModuleRefusedIsRefused() throws Exception {
        for (String line : List.of("{\"time\":\"2026-01-02T03:04:06Z\",\"comm", "{\"time\":\"yesterday\"}", "{\"durationMs\":\"long\"}",
                "{\"unknown\":1}", "{\"detail\":{\"nested\":true}}", "[]", "")) {
            assertThatThrownBy(() -> BEFORE.readValue(line, JournalEntry.class)).as(line).isInstanceOf(Exception.class);
            assertThatThrownBy(() -> Journal.fromJson(line)).as(line).isInstanceOf(Exception.class);
        }
    }
}
