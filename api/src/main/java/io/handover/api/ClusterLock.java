package io.handover.api;

import java.time.Instant;

/**
 * Keeps two master changes of one cluster from interleaving: a switchover and an MHA hook, or two
 * operators. A backend that can hold a distributed lock (Consul sessions) offers one through
 * {@link Backend#lock}; {@code handover.lock.backend} chooses it, or a local lock file.
 */
public interface ClusterLock {

    /**
     * Takes the lock for {@code owner} (a human-readable {@code user@host pid N: command}).
     *
     * @throws HeldException if someone else holds it
     * @throws BackendException if the lock service cannot be reached by the deadline
     */
    Lease acquire(String owner, Deadline deadline) throws HeldException, BackendException;

    /** A held lock; closing releases it. Kept alive by the implementation while it is held. */
    interface Lease extends AutoCloseable {

        /**
         * False once the lock is, or may be, lost (a session that expired or could not be renewed
         * in time): checked before an irreversible step, so that two master changes never overlap.
         */
        default boolean held() {
            return true;
        }

        @Override
        void close();
    }

    /** The lock is held by someone else. */
    final class HeldException extends Exception {
        private final String holder;
        private final Instant since;

        public HeldException(String holder, Instant since) {
            super("held by " + holder + (since == null ? "" : " since " + since));
            this.holder = holder;
            this.since = since;
        }

        public String holder() {
            return holder;
        }

        public Instant since() {
            return since;
        }
    }
}
