package io.handover.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private final List<Path> synced = new ArrayList<>();

    private static JournalEntry entry(String outcome, String id) {
        return new JournalEntry(Instant.parse("2026-01-02T03:04:05Z"), "mha-hook start", "main", null, "activate db2",
                outcome, 0, null, id);
    }

    @Test
    void creatingTheFileOrItsDirectoryFsyncsTheDirectoryThatNamesIt() throws Exception {
        Path directory = dir.resolve("var/journal");
        Journal journal = new Journal(directory, synced::add);

        journal.append(entry("started", "1"));
        assertThat(synced).containsExactly(dir.resolve("var").toAbsolutePath(), dir, directory);

        synced.clear();
        journal.append(entry("ok", "1"));
        assertThat(synced).isEmpty();

        journal.append(new JournalEntry(Instant.now(), "register", "other", null, "lock", "ok", 1, null));
        assertThat(synced).containsExactly(directory);
    }

    @Test
    void theRealDirectorySyncWorksOnThisFileSystem() throws Exception {
        new Journal(dir.resolve("j")).append(entry("ok", null));

        assertThat(Files.readAllLines(dir.resolve("j/main.jsonl"))).hasSize(1);
    }

    @Test
    void entriesKeepTheIdThatLinksAStartToItsOutcomeAndOldLinesStillRead() throws Exception {
        Journal journal = new Journal(dir, synced::add);
        journal.append(entry("started", "7f"));
        Files.writeString(journal.file("main"), "{\"time\":\"2026-01-02T03:04:06Z\",\"command\":\"register\",\"cluster\":\"main\","
                + "\"backend\":null,\"step\":\"lock\",\"outcome\":\"ok\",\"durationMs\":3,\"detail\":\"x\"}\n",
                java.nio.file.StandardOpenOption.APPEND);

        assertThat(journal.read("main")).extracting(JournalEntry::outcome, JournalEntry::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("started", "7f"), org.assertj.core.groups.Tuple.tuple("ok", null));
    }

    @Test
    void aLineCutShortByACrashDoesNotSwallowTheNextEntry() throws Exception {
        // handover killed (or the disk full) in the middle of an append: no line feed at the end
        assertEntriesAroundACutLineAreRead("{\"time\":\"2026-01-02T03:04:06Z\",\"comm".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A crash can cut a line inside a character of two or more bytes (a host's name, a detail in any language). */
    @Test
    void aLineCutInsideACharacterLeavesTheRestReadable() throws Exception {
        byte[] torn = "{\"time\":\"2026-01-02T03:04:06Z\",\"detail\":\"\u00e9t\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEntriesAroundACutLineAreRead(java.util.Arrays.copyOf(torn, torn.length - 1));
    }

    /** An entry, then {@code cut} as a crash leaves it, then an entry: both entries read back, in order. */
    private void assertEntriesAroundACutLineAreRead(byte[] cut) throws Exception {
        Journal journal = new Journal(dir, synced::add);
        journal.append(entry("ok", "1"));
        Files.write(journal.file("main"), cut, java.nio.file.StandardOpenOption.APPEND);

        journal.append(entry("started", "2"));

        assertThat(journal.read("main")).extracting(JournalEntry::outcome, JournalEntry::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ok", "1"), org.assertj.core.groups.Tuple.tuple("started", "2"));
    }

    /** Only CR and LF end a line: JSON leaves U+2028, U+2029 and U+0085 unescaped, and a detail may hold them. */
    @Test
    void otherLineSeparatorsStayInTheirEntry() throws Exception {
        Journal journal = new Journal(dir, synced::add);
        JournalEntry entry = new JournalEntry(Instant.parse("2026-01-02T03:04:05Z"), "register", "main", null, "lock", "ok", 1,
                "a\u2028b\u2029c\u0085d\u000be");
        journal.append(entry);

        assertThat(journal.read("main")).containsExactly(entry);
    }
}
