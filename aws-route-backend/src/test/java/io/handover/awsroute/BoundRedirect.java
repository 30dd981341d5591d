package io.handover.awsroute;

import io.handover.api.Backend;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.Verification;

/** A configured backend and one redirect bound from it, closed together: what the core holds for one command. */
final class BoundRedirect implements Redirect, AutoCloseable {

    final Backend backend;
    private final Redirect redirect;

    BoundRedirect(Backend backend, Redirect redirect) {
        this.backend = backend;
        this.redirect = redirect;
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
