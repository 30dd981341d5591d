package io.handover.api;

/**
 * Sends the clients of one cluster to its master: a Consul service, a virtual IP, a route.
 *
 * <p>One instance serves one redirect entry of one cluster. Every operation is idempotent, so a
 * hook re-run by hand after a failure finishes the job, and finishes or fails by its deadline:
 * MHA waits forever for a hook that hangs. Failures are {@link BackendException}s that say
 * whether a retry can help and whether the change may have been applied.
 */
public interface FailoverBackend extends AutoCloseable {

    /** Names what this instance moves, for humans: {@code consul service main-master}. */
    String describe();

    /** Where clients are sent now, as each source of truth of the backend sees it. No side effects. */
    RedirectState current(Deadline deadline) throws BackendException;

    /** Stops sending clients to the old master (MHA's stop/stopssh). Succeeds if already released. */
    void release(Host oldMaster, Deadline deadline) throws BackendException;

    /**
     * Sends clients to the new master and nowhere else (MHA's start). Must not rely on
     * {@link #release} having run: a dead old master may never have been released.
     */
    void activate(Host newMaster, Deadline deadline) throws BackendException;

    /** Checks that clients now reach exactly the new master; retries until the deadline. */
    Verification verify(Host newMaster, Deadline deadline) throws BackendException;

    /** A lock shared by everyone who changes this cluster's master, if the backend can hold one. */
    default java.util.Optional<ClusterLock> lock() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {}
}
