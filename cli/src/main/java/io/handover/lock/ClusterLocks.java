package io.handover.lock;

import io.handover.api.Backend;
import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.config.ClusterConfig;
import io.handover.config.HandoverConfig;
import io.handover.flow.FailedException;
import io.handover.flow.RefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one lock everyone who changes a cluster's master takes: switchover, the MHA hooks, register,
 * two operators. {@code handover.lock.backend} says where it lives: a backend that can hold a
 * distributed lock (Consul sessions), or a lock file on this machine.
 */
public final class ClusterLocks {

    /**
     * A cluster's lock and how to name it to a user.
     *
     * @param lock the lock
     * @param description {@code lock file /var/lib/handover/journal/main.lock}, {@code consul lock of cluster main}
     */
    public record NamedLock(ClusterLock lock, String description) {}

    private ClusterLocks() {}

    /** The configured lock of {@code cluster}. */
    public static NamedLock of(HandoverConfig config, ClusterConfig cluster) {
        if (config.lock().backend().isPresent()) {
            String name = config.lock().backend().get();
            Backend backend = config.backends().get(name);
            ClusterLock lock = backend.lock(cluster.cluster()).orElseThrow(() ->
                    new IllegalStateException("backend " + name + " offers no lock; config validation should have refused it"));
            return new NamedLock(lock, name + " lock of cluster " + cluster.name());
        }
        LocalFileLock file = new LocalFileLock(config.lock().directory().resolve(cluster.name() + ".lock"));
        return new NamedLock(file, file.toString());
    }

    /**
     * Takes the cluster's lock for {@code command}, waiting up to {@code patience} while it is held.
     *
     * @param patience how long to wait for a held lock: none for switchover (an operator decides);
     *     for an MHA hook, part of its deadline, since the holder may be a switchover about to end, or
     *     the previous hook call whose lease Consul frees only after its TTL
     * @throws RefusedException if it is still held
     * @throws LockUnavailableException if the lock service cannot be reached by the deadline
     */
    public static ClusterLock.Lease acquire(NamedLock named, String cluster, String command, Deadline deadline, Duration patience) {
        Deadline waitUntil = deadline.shorter(patience);
        try {
            while (true) {
                try {
                    return named.lock().acquire(owner(command), deadline);
                } catch (ClusterLock.HeldException e) {
                    if (waitUntil.expired()) {
                        throw e;
                    }
                    waitUntil.sleep(Duration.ofMillis(500));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailedException("interrupted while waiting for the failover lock of cluster " + cluster);
        } catch (ClusterLock.HeldException e) {
            throw new RefusedException("refused: the failover lock of cluster " + cluster
                    + " is held by " + e.holder() + (e.since() == null ? "" : " since " + e.since())
                    + " (" + named.description() + ")");
        } catch (BackendException e) {
            throw new LockUnavailableException("cannot take the failover lock of cluster " + cluster
                    + " (" + named.description() + "): " + e.getMessage(), e);
        }
    }

    /** {@code user@host pid N: command}, as the lock names its holder to others. */
    public static String owner(String command) {
        return System.getProperty("user.name") + "@" + hostname() + " pid " + ProcessHandle.current().pid() + ": " + command;
    }

    /** Without a DNS lookup: InetAddress.getLocalHost() can hang on a machine with broken resolution. */
    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment != null ? fromEnvironment : "localhost";
        }
    }
}
