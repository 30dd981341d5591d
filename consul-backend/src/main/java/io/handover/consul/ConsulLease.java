package io.handover.consul;

import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.toolkit.RetryLoop;
import io.handover.api.Deadline;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held Consul session lock. A daemon thread renews the session every third of its TTL, so that
 * two renewals in a row may fail (a leader election takes ~3.5 s, docs/CONSUL.md) before Consul could
 * expire it; Consul actually waits twice the TTL. When this process dies, renewals stop and the
 * lock frees itself; when it closes the lease, it frees the lock at once.
 */
final class ConsulLease implements ClusterLock.Lease {

    private static final Logger log = LoggerFactory.getLogger(ConsulLease.class);

    private final ConsulSessions sessions;
    private final String node;
    private final String session;
    private final String key;
    private final String lock;
    private final Duration ttl;
    private final Deadline deadline;
    private final Consumer<ConsulLease> onClose;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When Consul last started the session's TTL, at the earliest: when that create or renewal was sent. */
    private volatile long lastRenewalNanos;
    private volatile boolean lost;

    private ConsulLease(ConsulSessions sessions, LockConfig config, String session, long createdNanos, String key, String lock,
            Deadline deadline, Consumer<ConsulLease> onClose) {
        this.lastRenewalNanos = createdNanos;
        this.sessions = sessions;
        this.node = config.node();
        this.session = session;
        this.key = key;
        this.lock = lock;
        this.ttl = config.ttl();
        this.deadline = deadline;
        this.onClose = onClose;
    }

    /**
     * A lease on {@code lock}, whose {@code key} {@code session} holds, renewed from now on.
     *
     * @param createdNanos {@link System#nanoTime()} when the session's create was sent: its TTL runs from
     *     there, not from when the key was taken, which retries may have delayed by most of a deadline
     * @param deadline the deadline of the call that took it, by which {@link #close} returns too
     * @param onClose told first thing when the lease is closed: writes are no longer made under it
     */
    static ConsulLease start(ConsulSessions sessions, LockConfig config, String session, long createdNanos, String key, String lock,
            Deadline deadline, Consumer<ConsulLease> onClose) {
        ConsulLease lease = new ConsulLease(sessions, config, session, createdNanos, key, lock, deadline, onClose);
        Thread renewer = new Thread(lease::renewUntilStopped, "renew " + lock);
        renewer.setDaemon(true); // a forgotten lease must not keep the JVM alive; the TTL then frees the lock
        renewer.start();
        return lease;
    }

    String session() {
        return session;
    }

    /** The lock key the session holds. */
    String key() {
        return key;
    }

    /** {@code the failover lock of cluster main (Consul key handover/lock/main)}. */
    String describe() {
        return lock;
    }

    /**
     * Whether the session surely still holds the lock: Consul knew it at the last renewal, and that
     * renewal is less than one TTL old (Consul may expire a session from one TTL on).
     */
    @Override
    public boolean held() {
        return !closed.get() && !lost && System.nanoTime() - lastRenewalNanos < ttl.toNanos();
    }

    /**
     * Stops renewing and never releases, as the death of this process would; close() then does
     * nothing. For tests of a holder that dies.
     */
    void abandon() {
        closed.set(true);
        stopped.countDown();
    }

    /**
     * Stops renewing, deletes the key if the session still holds it, then destroys the session. The
     * key goes first, in a write of its own: the next owner can take the lock as soon as that one
     * write is applied, even if the destroy then hangs, and a deleted key carries no lock-delay. A
     * session left behind holds nothing and expires after its TTL.
     *
     * <p>Never throws, and returns by the deadline given to {@link ConsulLock#acquire}, and within
     * {@link ConsulLock#CLEANUP_TIMEOUT}: the calling hook must end by its deadline, cleanup
     * included. If Consul cannot be reached by then, the lock frees itself one to two TTLs after
     * the last renewal (docs/CONSUL.md).
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopped.countDown();
            onClose.accept(this);
            Deadline by = ConsulLock.cleanupBy(deadline);
            releaseQuietly(by);
            ConsulLock.destroyQuietly(sessions, node, session, lock, by);
            log.debug("released {} (session {})", lock, session);
        }
    }

    private void releaseQuietly(Deadline by) {
        try {
            if (!RetryLoop.run("releasing " + lock, by, attempt -> sessions.release(key, session, by))) {
                log.debug("{}: session {} no longer held the key when closing", lock, session);
            }
        } catch (BackendException | RuntimeException e) {
            log.warn("could not release {}; destroying its session instead: {}", lock, e.getMessage());
        }
    }

    private void renewUntilStopped() {
        Duration interval = ttl.dividedBy(3);
        long lastRenewal = lastRenewalNanos;
        // the first renewal a third of the TTL after the create, not after the key was taken
        Duration sinceCreate = Duration.ofNanos(System.nanoTime() - lastRenewal);
        Duration wait = sinceCreate.compareTo(interval) < 0 ? interval.minus(sinceCreate) : Duration.ZERO;
        while (!awaitStop(wait)) {
            long[] sentAt = {0};
            try {
                Deadline deadline = Deadline.after(interval);
                boolean renewed = RetryLoop.run("renewing session " + session + " of " + lock, deadline, attempt -> {
                    if (stopped.getCount() == 0) {
                        // closed meanwhile: close() releases the lock, another renewal would only compete with it
                        throw BackendException.permanent("the lease of " + lock + " is closed");
                    }
                    sentAt[0] = System.nanoTime();
                    return sessions.renew(node, session, deadline);
                });
                if (!renewed) {
                    lost = true;
                    if (stopped.getCount() > 0) {
                        log.warn("lost {}: Consul no longer knows session {} ({} s after its last renewal: it expired, or an operator"
                                + " destroyed it or its node), so another process may take the lock now", lock, session, secondsSince(lastRenewal));
                    }
                    return;
                }
                // Consul restarted the TTL when it got the request, at the earliest when it was sent: counting from
                // the answer would let held() trust the session for up to a request-timeout after Consul may expire it
                lastRenewal = sentAt[0];
                lastRenewalNanos = lastRenewal;
                wait = interval;
            } catch (BackendException | RuntimeException e) {
                if (stopped.getCount() > 0) {
                    log.warn("could not renew {} for {} s (Consul frees it {} to {} s after the last renewal); trying again: {}",
                            lock, secondsSince(lastRenewal), ttl.toSeconds(), 2 * ttl.toSeconds(), e.getMessage());
                }
                // after its deadline the retry loop has paused already; a refusal (403) or a bug is not worth hammering
                boolean retryable = e instanceof BackendException failure && failure.kind() != BackendException.Kind.PERMANENT;
                wait = retryable ? Duration.ZERO : interval;
            }
        }
    }

    /** True once stopped; waits at most {@code wait}. */
    private boolean awaitStop(Duration wait) {
        try {
            return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static long secondsSince(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
    }
}
