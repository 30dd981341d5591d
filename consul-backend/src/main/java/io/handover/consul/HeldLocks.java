package io.handover.consul;

import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The failover locks this process holds now, by cluster name, shared by the lock and the redirects
 * of one configured backend. A switch of a cluster whose lock is held here is written only on
 * condition that the lock's session still holds the key, checked by Consul in the same
 * transaction: a holder whose session expired while its requests stalled cannot overwrite the
 * master that the lock's next holder published meanwhile.
 */
final class HeldLocks {

    private final ConcurrentMap<String, ConsulLease> leases = new ConcurrentHashMap<>();

    @Inject
    HeldLocks() {}

    void taken(String cluster, ConsulLease lease) {
        leases.put(cluster, lease);
    }

    /** Forgets {@code lease}, unless another lease of the cluster replaced it. */
    void released(String cluster, ConsulLease lease) {
        leases.remove(cluster, lease);
    }

    /** The lease this process holds on {@code cluster}'s lock, if any. */
    Optional<ConsulLease> of(String cluster) {
        return Optional.ofNullable(leases.get(cluster));
    }
}
