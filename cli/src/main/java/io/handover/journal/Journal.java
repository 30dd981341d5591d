package io.handover.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What handover did, one JSON line per step in {@code <directory>/<cluster>.jsonl}, forced to disk
 * before the command goes on: after a crash or an aborted failover this is the record of which
 * steps happened.
 */
public final class Journal {

    /** The names a line's fields have. */
    private static final Set<String> FIELDS = fields(new JournalEntry(null, null, null, null, null, null, 0, null)).keySet();

    /** Forces a directory's entries (a new file's name) to disk. */
    @FunctionalInterface
    interface DirectorySync {
        void force(Path directory) throws IOException;
    }

    private final Path directory;
    private final DirectorySync directorySync;

    public Journal(Path directory) {
        this(directory, Journal::forceDirectory);
    }

    Journal(Path directory, DirectorySync directorySync) {
        this.directory = directory;
        this.directorySync = directorySync;
    }

    public Path file(String cluster) {
        return directory.resolve(cluster + ".jsonl");
    }

    /**
     * Appends and fsyncs one entry. A file (or directory) it creates is made durable too: fsyncing a
     * new file does not put its name in its directory, and after a crash a journal whose name was
     * lost is no journal at all.
     */
    public void append(JournalEntry entry) throws IOException {
        List<Path> newDirectories = new ArrayList<>();
        for (Path missing = directory.toAbsolutePath(); missing != null && !Files.exists(missing); missing = missing.getParent()) {
            newDirectories.add(missing);
        }
        Files.createDirectories(directory);
        for (Path created : newDirectories) {
            directorySync.force(created.getParent());
        }
        Path file = file(entry.cluster());
        boolean newFile = !Files.exists(file);
        // after a crash mid-append the last line has no line feed: end it, or this entry joins it and is lost too
        String line = (!newFile && endsCutShort(file) ? "\n" : "") + toJson(entry) + "\n";
        try (FileChannel channel = FileChannel.open(file,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        if (newFile) {
            directorySync.force(directory);
        }
    }

    private static boolean endsCutShort(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return channel.size() > 0 && channel.read(last, channel.size() - 1) == 1 && last.get(0) != '\n';
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        // Linux lets a directory be opened read-only and fsynced, which is what makes its entries durable.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Every entry of a cluster, oldest first; none if it has no journal yet. */
    public List<JournalEntry> read(String cluster) throws IOException {
        String text;
        try {
            // decoded leniently: a line cut inside a character must not make the whole journal unreadable
            text = new String(Files.readAllBytes(file(cluster)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(fromJson(line));
            } catch (IOException | DateTimeParseException | NumberFormatException e) {
                // A line cut short by a crash mid-write (or a full disk): the rest of the journal still counts.
                org.slf4j.LoggerFactory.getLogger(Journal.class).warn("skipping an unreadable line of {}", file(cluster));
            }
        }
        return entries;
    }

    /** The entry's line, without its line feed: {"time":"2026-01-02T03:04:05.123Z","command":...,"durationMs":12,...}. */
    public static String toJson(JournalEntry entry) {
        return FlatJson.write(fields(entry));
    }

    /** {@link JournalEntry}'s components, in the order a line has them. */
    private static Map<String, Object> fields(JournalEntry entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", entry.time() == null ? null : entry.time().toString());
        fields.put("command", entry.command());
        fields.put("cluster", entry.cluster());
        fields.put("backend", entry.backend());
        fields.put("step", entry.step());
        fields.put("outcome", entry.outcome());
        fields.put("durationMs", entry.durationMs());
        fields.put("detail", entry.detail());
        fields.put("id", entry.id());
        fields.put("run", entry.run());
        return fields;
    }

    /**
     * The entry a line holds. A field missing (lines written before {@code id} and {@code run}
     * existed) or null is null, a missing duration 0; a field the entry does not have is refused.
     */
    static JournalEntry fromJson(String line) throws IOException {
        Map<String, String> fields = FlatJson.read(line);
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new IOException("unknown field " + name);
            }
        }
        String time = fields.get("time");
        String duration = fields.get("durationMs");
        return new JournalEntry(time == null ? null : Instant.parse(time), fields.get("command"), fields.get("cluster"),
                fields.get("backend"), fields.get("step"), fields.get("outcome"), duration == null ? 0 : Long.parseLong(duration),
                fields.get("detail"), fields.get("id"), fields.get("run"));
    }
}
