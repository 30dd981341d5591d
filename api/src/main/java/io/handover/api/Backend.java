package io.handover.api;

import java.util.Optional;

/**
 * A configured backend: its shared clients are made once and serve every cluster that uses it.
 * Closing it releases them; a command closes it when it ends.
 */
public interface Backend extends AutoCloseable {

    /**
     * Binds one cluster's redirect entry. Reports every problem of the entry to its reader instead
     * of throwing, and does no network I/O. The caller rejects unknown keys of the entry afterwards.
     */
    Redirect bind(RedirectContext context);

    /**
     * A lock shared by everyone who changes {@code cluster}'s master, if this backend can hold one
     * (a Consul session). Chosen by {@code handover.lock.backend}, not by the redirect list, so that
     * reordering redirects never moves the lock.
     */
    default Optional<ClusterLock> lock(Cluster cluster) {
        return Optional.empty();
    }

    /**
     * Runs read-only commands on the cluster's hosts the way this backend reaches them (the vip
     * backend: OpenSSH, with MHA's settings), if it does: {@code migrate clients} reads each
     * master's socket table with it, so no agent is needed there.
     */
    default Optional<HostShell> hostShell() {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
