package io.handover.lock;

import io.handover.api.Backend;
import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.config.ClusterConfig;
import io.handover.config.HandoverConfig;
import io.handover.flow.FailedException;
import io.handover.flow.RefusedException;
import io.handover.flow.StepReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
     * @param backend where it lives: the name of the backend that holds it ({@code consul}), or {@code file}
     * @param description {@code lock file /var/lib/handover/journal/main.lock}, {@code consul lock of cluster main}
     */
    public record NamedLock(ClusterLock lock, String backend, String description) {}

    private static final Logger log = LoggerFactory.getLogger(ClusterLocks.class);
    /** How {@link #owner} names a holder: {@code user@host pid N: command}. */
    private static final Pattern OWNER = Pattern.compile("^[^@\\s]*@(\\S+) pid (\\d+): ");

    private ClusterLocks() {}

    /** The configured lock of {@code cluster}. */
    public static NamedLock of(HandoverConfig config, ClusterConfig cluster) {
        if (config.lock().backend().isPresent()) {
            String name = config.lock().backend().get();
            Backend backend = config.backends().get(name);
            ClusterLock lock = backend.lock(cluster.cluster()).orElseThrow(() ->
                    new IllegalStateException("backend " + name + " offers no lock; config validation should have refused it"));
            return new NamedLock(lock, name, name + " lock of cluster " + cluster.name());
        }
        LocalFileLock file = new LocalFileLock(config.lock().directory().resolve(cluster.name() + ".lock"));
        return new NamedLock(file, "file", file.toString());
    }

    /**
     * Takes the cluster's lock for {@code command}, waiting up to {@code patience} while it is held.
     * A lock whose holder ran on this host and whose process has ended (kill -9, a crash) is broken
     * at once rather than waited for: its Consul session would otherwise hold it one to two TTLs
     * (15-30 s), more than a hook may wait, and MHA would abort after {@code stop} released the
     * master. The break is a journalled step.
     *
     * @param patience how long to wait for a held lock: none for switchover (an operator decides);
     *     for an MHA hook, part of its deadline, since the holder may be a switchover about to end
     * @param reporter where breaking a dead holder's lock is reported and journalled; null: logged only
     * @throws RefusedException if it is still held
     * @throws LockUnavailableException if the lock service cannot be reached by the deadline
     */
    public static ClusterLock.Lease acquire(NamedLock named, String cluster, String command, Deadline deadline, Duration patience,
            StepReporter reporter) {
        Deadline waitUntil = deadline.shorter(patience);
        Set<ClusterLock.Holding> triedToBreak = new HashSet<>();
        try {
            while (true) {
                try {
                    return named.lock().acquire(owner(command), deadline);
                } catch (ClusterLock.HeldException e) {
                    if (triedToBreak.add(e.holding()) && breakIfHolderDied(named, e.holding(), deadline, reporter)) {
                        continue;
                    }
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
            throw new RefusedException("refused: " + held(named, cluster, e.holding()));
        } catch (BackendException e) {
            throw new LockUnavailableException("cannot take the failover lock of cluster " + cluster
                    + " (" + named.description() + "): " + e.getMessage(), e);
        }
    }

    /**
     * {@code the failover lock of cluster main is held by ... since ... (consul lock of cluster main)},
     * and how to break it if its holder is gone.
     */
    public static String held(NamedLock named, String cluster, ClusterLock.Holding holding) {
        String message = "the failover lock of cluster " + cluster + " is held by " + holding.holder()
                + (holding.since() == null ? "" : " since " + holding.since()) + " (" + named.description() + ")";
        if (named.lock() instanceof LocalFileLock) {
            return message + "; a lock file frees itself when its holder's process ends";
        }
        return message + "; if that process is gone, break the lock with: handover lock --cluster " + cluster
                + " --force (else Consul frees it one to two session TTLs after its holder's last renewal, or after the"
                + " lock-delay of a session that was not handover's)";
    }

    /** Breaks {@code holding} if its holder ran on this host and is dead; true if the lock may be free now. */
    private static boolean breakIfHolderDied(NamedLock named, ClusterLock.Holding holding, Deadline deadline, StepReporter reporter) {
        // a held lock file has a live holder: the OS frees it when the process ends (its content may be a dead one's for a moment)
        OptionalLong pid = named.lock() instanceof LocalFileLock ? OptionalLong.empty() : deadLocalHolder(holding.holder());
        if (pid.isEmpty()) {
            return false;
        }
        String why = "held by " + holding.holder() + (holding.since() == null ? "" : " since " + holding.since())
                + ", whose process " + pid.getAsLong() + " no longer runs on this host";
        java.util.concurrent.Callable<Boolean> breakIt = () -> named.lock().breakHolding(holding, deadline);
        try {
            if (reporter != null) {
                reporter.call(null, "break lock of dead pid " + pid.getAsLong(), breakIt,
                        broken -> why + (broken ? "; broken" : "; it was freed meanwhile"));
            } else {
                log.warn("breaking the failover lock ({}): {}", named.description(), why);
                breakIt.call();
            }
            return true;
        } catch (Exception e) {
            log.warn("could not break the failover lock ({}) {}: {}", named.description(), why, e.getMessage());
            return false;
        }
    }

    /** The process that holds a lock, as {@link #owner} names it. */
    public record HolderProcess(String host, long pid) {

        /** Whether it runs on this host (host names are compared). */
        public boolean local() {
            return host.equals(hostname());
        }

        /**
         * Whether it still runs; empty if it is on another host. A PID reused since looks alive: the
         * lock is then waited for, never broken wrongly.
         */
        public Optional<Boolean> running() {
            return local() ? Optional.of(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) : Optional.empty();
        }
    }

    /** The host and PID in a holder named by {@link #owner}; empty for another kind of name. */
    public static Optional<HolderProcess> process(String holder) {
        Matcher owner = OWNER.matcher(holder);
        try {
            return owner.find() ? Optional.of(new HolderProcess(owner.group(1), Long.parseLong(owner.group(2)))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The PID of a holder named by {@link #owner} on this host whose process has ended; empty if it
     * ran elsewhere, is alive, or is not named that way. Machines that run handover for one cluster
     * need distinct host names (the MHA manager's and the operators' are).
     */
    static OptionalLong deadLocalHolder(String holder) {
        return process(holder).filter(process -> process.running().equals(Optional.of(false)))
                .map(process -> OptionalLong.of(process.pid())).orElse(OptionalLong.empty());
    }

    /** {@code user@host pid N: command}, as the lock names its holder to others. */
    public static String owner(String command) {
        return System.getProperty("user.name") + "@" + hostname() + " pid " + ProcessHandle.current().pid() + ": " + command;
    }

    /** Without a DNS lookup: InetAddress.getLocalHost() can hang on a machine with broken resolution. */
    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment != null ? fromEnvironment : "localhost";
        }
    }
}
