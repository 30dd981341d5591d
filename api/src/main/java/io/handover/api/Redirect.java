package io.handover.api;

import java.util.List;

/**
 * Sends the clients of one cluster to its master: a Consul service, a virtual IP, a route.
 *
 * <p>Every operation is idempotent, so a hook re-run by hand after a failure finishes the job, and
 * ends by its deadline: MHA waits forever for a hook that hangs. Failures are
 * {@link BackendException}s that say whether a retry can help and whether the change may have
 * been applied.
 */
public interface Redirect {

    /** Names what this moves, for humans: {@code consul service main-master}, {@code vip 198.51.100.50}. */
    String describe();

    /**
     * The fixed address clients connect to through this redirect (a VIP, a routed overlay address),
     * or empty when they reach the master at its own address (a DNS name): how {@code migrate
     * clients} tells which path a session came in on.
     */
    default java.util.Optional<String> clientAddress() {
        return java.util.Optional.empty();
    }

    /** Where clients are sent now, as each source of truth sees it. No side effects. */
    RedirectState current(Deadline deadline) throws BackendException;

    /**
     * What would make a failover through this backend fail that {@link #current} does not show: a
     * missing permission, an entry this backend would refuse to replace. For {@code status} and
     * MHA's status call, so that they fail before the failover does. Changes nothing: read-only
     * requests, or writes the server is certain to refuse. Empty if nothing is in the way.
     */
    default List<Problem> readiness(Deadline deadline) throws BackendException {
        return List.of();
    }

    /**
     * Stops sending clients to the old master (MHA's stop/stopssh, an online change's stop).
     * Succeeds if already released. With {@link Reachability#UNREACHABLE} a dead host must not
     * block its own failover.
     *
     * @return what the release left undone, for MHA's log and the journal (a dead host that still
     *     holds a VIP), or an empty string
     */
    String release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException;

    /**
     * Sends clients to the new master and nowhere else (MHA's start). Must not rely on
     * {@link #release} having run: a dead old master may never have been released.
     *
     * @return what it replaced, for MHA's log and the journal ({@code replaced db1 (198.51.100.11:3306)}),
     *     or an empty string (nothing to replace, or a backend that does not tell)
     */
    String activate(Host newMaster, Deadline deadline) throws BackendException;

    /** Checks that clients now reach exactly the new master; retries until the deadline. */
    Verification verify(Host newMaster, Deadline deadline) throws BackendException;

    /**
     * Whether this logs in to the cluster's MySQL servers (with {@link RedirectContext#identity()}):
     * a hook then needs the cluster's MySQL password, which otherwise it neither reads nor checks.
     */
    default boolean usesMysqlLogin() {
        return false;
    }
}
