package io.handover.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What handover did, one JSON line per step in {@code <directory>/<cluster>.jsonl}, forced to disk
 * before the command goes on: after a crash or an aborted failover this is the record of which
 * steps happened.
 */
public final class Journal {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

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
        String line = (!newFile && endsCutShort(file) ? "\n" : "") + JSON.writeValueAsString(entry) + "\n";
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
        List<String> lines;
        try {
            lines = Files.readAllLines(file(cluster), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(JSON.readValue(line, JournalEntry.class));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                // A line cut short by a crash mid-write (or a full disk): the rest of the journal still counts.
                org.slf4j.LoggerFactory.getLogger(Journal.class).warn("skipping an unreadable line of {}", file(cluster));
            }
        }
        return entries;
    }

    public static String toJson(JournalEntry entry) throws IOException {
        return JSON.writeValueAsString(entry);
    }
}
