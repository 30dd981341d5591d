package io.handover.toolkit.contract;

import io.handover.api.Backend;
import io.handover.api.BackendException;
import io.handover.api.Cluster;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.Verification;
import java.util.Optional;

/**
 * A configured backend and one redirect bound from it for {@code cluster}, closed together: what the
 * core holds for one command. For backends' tests.
 */
public final class BoundRedirect implements Redirect, AutoCloseable {

    private final Backend backend;
    private final Redirect redirect;
    private final Cluster cluster;

    public BoundRedirect(Backend backend, Redirect redirect, Cluster cluster) {
        this.backend = backend;
        this.redirect = redirect;
        this.cluster = cluster;
    }

    /** The backend's lock of the cluster, if it offers one. */
    public Optional<ClusterLock> lock() {
        return backend.lock(cluster);
    }

    /** Releases a master that answers, as MHA's stopssh and an online change do. */
    public String release(Host oldMaster, Deadline deadline) throws BackendException {
        return release(oldMaster, Reachability.REACHABLE, deadline);
    }

    @Override
    public String describe() {
        return redirect.describe();
    }

    @Override
    public RedirectState current(Deadline deadline) throws BackendException {
        return redirect.current(deadline);
    }

    @Override
    public java.util.List<io.handover.api.Problem> readiness(Deadline deadline) throws BackendException {
        return redirect.readiness(deadline);
    }

    @Override
    public String release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
        return redirect.release(oldMaster, reachability, deadline);
    }

    @Override
    public String activate(Host newMaster, Deadline deadline) throws BackendException {
        return redirect.activate(newMaster, deadline);
    }

    @Override
    public Verification verify(Host newMaster, Deadline deadline) throws BackendException {
        return redirect.verify(newMaster, deadline);
    }

    @Override
    public void close() {
        backend.close();
    }
}
