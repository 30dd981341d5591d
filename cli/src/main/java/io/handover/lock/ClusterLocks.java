package io.handover.lock;

import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.cli.ExitCode;
import io.handover.cli.HandoverException;
import io.handover.config.ClusterConfig;
import io.handover.config.Redirect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one lock everyone who changes a cluster's master takes: switchover, the MHA hooks, two
 * operators. A redirect backend that can hold a distributed lock (Consul sessions) provides it;
 * otherwise it is a lock file on this machine.
 */
public final class ClusterLocks {

    /**
     * A cluster's lock and how to name it to a user.
     *
     * @param lock the lock
     * @param description {@code lock file /var/lib/handover/journal/main.lock}, {@code lock of consul service main-master}
     */
    public record NamedLock(ClusterLock lock, String description) {}

    private ClusterLocks() {}

    /** The first redirect backend's lock, in configuration order, else {@code <directory>/<cluster>.lock}. */
    public static NamedLock of(ClusterConfig cluster, Path directory) {
        for (Redirect redirect : cluster.redirects()) {
            Optional<ClusterLock> lock = redirect.backend().lock();
            if (lock.isPresent()) {
                return new NamedLock(lock.get(), "lock of " + redirect.backend().describe());
            }
        }
        LocalFileLock file = new LocalFileLock(directory.resolve(cluster.name() + ".lock"));
        return new NamedLock(file, file.toString());
    }

    /**
     * Takes the cluster's lock for {@code command}, or refuses (exit 4) naming who holds it.
     *
     * @param unreachableExitCode the exit code when the lock cannot be reached: switchover refuses
     *     (4, nothing changed), an MHA hook fails (1) like any other backend that cannot be reached
     * @param patience how long to wait for a held lock: none for switchover (an operator decides);
     *     for an MHA hook, part of its deadline, since the holder may be a switchover about to end, or
     *     the previous hook call whose lease Consul frees only after its TTL
     * @throws HandoverException with {@link ExitCode#REFUSED} if it is held
     */
    public static ClusterLock.Lease acquire(ClusterConfig cluster, Path directory, String command, Deadline deadline,
            int unreachableExitCode, java.time.Duration patience) {
        NamedLock named = of(cluster, directory);
        Deadline waitUntil = deadline.shorter(patience);
        try {
            while (true) {
                try {
                    return named.lock().acquire(owner(command), deadline);
                } catch (ClusterLock.HeldException e) {
                    if (waitUntil.expired()) {
                        throw e;
                    }
                    waitUntil.sleep(java.time.Duration.ofMillis(500));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HandoverException(ExitCode.FAILED, "interrupted while waiting for the failover lock of cluster " + cluster.name());
        } catch (ClusterLock.HeldException e) {
            throw new HandoverException(ExitCode.REFUSED, "refused: the failover lock of cluster " + cluster.name()
                    + " is held by " + e.holder() + (e.since() == null ? "" : " since " + e.since())
                    + " (" + named.description() + ")");
        } catch (BackendException e) {
            throw new HandoverException(unreachableExitCode, (unreachableExitCode == ExitCode.REFUSED ? "refused: " : "")
                    + "cannot take the failover lock of cluster " + cluster.name() + " (" + named.description() + "): "
                    + e.getMessage());
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
