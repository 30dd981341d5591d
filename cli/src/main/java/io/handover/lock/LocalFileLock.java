package io.handover.lock;

import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The failover lock as a file on this machine, for clusters whose backends offer no lock: an OS
 * lock on {@code <directory>/<cluster>.lock}, so that it dies with its process and can never go
 * stale. The file holds the owner and since when, to name them to whoever is refused.
 *
 * <p>It keeps out only processes on this machine: run switchovers where the MHA manager runs.
 */
public final class LocalFileLock implements ClusterLock {

    /**
     * Files this JVM holds. POSIX locks belong to the process, and closing any descriptor of the
     * file drops them all: a second acquire in this JVM must not even open the file.
     */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path file;

    public LocalFileLock(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    @Override
    public Lease acquire(String owner, Deadline deadline) throws HeldException, BackendException {
        String record = owner.replace('\n', ' ') + "\n" + Instant.now() + "\n";
        String heldHere = HELD_HERE.putIfAbsent(file, record);
        if (heldHere != null) {
            throw held(heldHere);
        }
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String content = read(channel);
                channel.close();
                HELD_HERE.remove(file);
                throw held(content);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            AtomicBoolean released = new AtomicBoolean();
            return () -> {
                if (released.compareAndSet(false, true)) {
                    release(channel);
                }
            };
        } catch (IOException e) {
            HELD_HERE.remove(file);
            throw BackendException.permanent("cannot use the lock file " + file + ": " + e);
        }
    }

    /**
     * Held if some process holds the OS lock: only then is the file's content its holder (a holder
     * killed with kill -9 leaves its content in a file whose lock the OS has freed).
     */
    @Override
    public Optional<Holding> holding(Deadline deadline) throws BackendException {
        String heldHere = HELD_HERE.get(file);
        if (heldHere != null) {
            return Optional.of(held(heldHere).holding());
        }
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock != null) {
                lock.release(); // free: a look must not take it
                return Optional.empty();
            }
            return Optional.of(held(read(channel)).holding());
        } catch (IOException e) {
            throw BackendException.permanent("cannot read the lock file " + file + ": " + e);
        }
    }

    /** Never: the OS frees a lock file when its holder's process ends, so a held one has a live holder. */
    @Override
    public boolean breakHolding(Holding holding, Deadline deadline) throws BackendException {
        throw BackendException.permanent("a lock file cannot be broken: the OS frees it the moment its holder's process ends,"
                + " so its holder (" + holding.holder() + ") is alive; end that process if it hangs");
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private void release(FileChannel channel) {
        try {
            // Emptied first: a process that finds the lock taken before its new owner wrote the file
            // then reports an unknown holder rather than this one.
            channel.truncate(0);
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock whatever happened to the file's content.
        } finally {
            HELD_HERE.remove(file);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static HeldException held(String content) {
        String[] lines = content.split("\n");
        String holder = lines.length > 0 && !lines[0].isBlank() ? lines[0] : "an unknown process (the lock file is empty)";
        Instant since = null;
        if (lines.length > 1) {
            try {
                since = Instant.parse(lines[1].strip());
            } catch (DateTimeParseException e) {
                // An unreadable time is left out of the message rather than failing the refusal.
            }
        }
        return new HeldException(new Holding(holder, since, null));
    }

    @Override
    public String toString() {
        return "lock file " + file;
    }
}
