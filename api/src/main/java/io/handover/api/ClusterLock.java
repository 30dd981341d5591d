package io.handover.api;

import java.time.Instant;
import java.util.Optional;

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

    /**
     * Who holds the lock now, without taking it; empty if it is free. For {@code handover lock}, and
     * for deciding whether a holder on this machine has died.
     *
     * @throws BackendException if the lock service cannot be reached by the deadline
     */
    Optional<Holding> holding(Deadline deadline) throws BackendException;

    /**
     * Breaks {@code holding} if it still holds the lock (its holder died, or an operator said
     * {@code handover lock --force}); a later holding of the lock is left alone.
     *
     * @return true if it was broken now, false if it no longer held the lock
     * @throws BackendException if the lock service cannot be reached by the deadline, or PERMANENT
     *     if this kind of lock cannot be broken from outside (a lock file: only a live process holds it)
     */
    boolean breakHolding(Holding holding, Deadline deadline) throws BackendException;

    /**
     * One holding of the lock, as its holder wrote it, made printable: whoever can write the lock
     * (its Consul key, its file) writes this text, and {@code lock}, the hooks' refusals and the
     * journal print it, so its control characters are escaped and it is cut at
     * {@link #MAX_HOLDER_LENGTH} characters ({@link Printable#line}).
     *
     * @param holder the owner given to {@link #acquire}: {@code user@host pid N: command}
     * @param since when it was taken, or null if unknown
     * @param id what identifies this holding to the lock service: its Consul session; null for a lock file
     */
    record Holding(String holder, Instant since, String id) {

        /** Twice what handover's own holders take ({@code user@host pid N: handover switchover --cluster C --to H}). */
        public static final int MAX_HOLDER_LENGTH = 200;

        public Holding {
            holder = Printable.line(holder, MAX_HOLDER_LENGTH);
            id = id == null ? null : Printable.line(id, MAX_HOLDER_LENGTH);
        }
    }

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
        private final Holding holding;

        public HeldException(Holding holding) {
            super("held by " + holding.holder() + (holding.since() == null ? "" : " since " + holding.since()));
            this.holding = holding;
        }

        public Holding holding() {
            return holding;
        }

        public String holder() {
            return holding.holder();
        }

        public Instant since() {
            return holding.since();
        }
    }
}
