package io.handover.consul;

import io.handover.api.Backend;
import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.Verification;
import java.util.Optional;

/** A configured backend and one redirect bound from it, closed together: what the core holds for one command. */
final class BoundRedirect implements Redirect, AutoCloseable {

    private final Backend backend;
    private final Redirect redirect;

    BoundRedirect(Backend backend, Redirect redirect) {
        this.backend = backend;
        this.redirect = redirect;
    }

    /** The cluster lock of cluster {@code main}. */
    Optional<ClusterLock> lock() {
        return backend.lock(TestBackends.MAIN);
    }

    /** Releases a master that answers, as MHA's stopssh and an online change do. */
    void release(Host oldMaster, Deadline deadline) throws BackendException {
        release(oldMaster, Reachability.REACHABLE, deadline);
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
    public void release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
        redirect.release(oldMaster, reachability, deadline);
    }

    @Override
    public void activate(Host newMaster, Deadline deadline) throws BackendException {
        redirect.activate(newMaster, deadline);
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
