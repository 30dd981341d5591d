package io.handover.config;

import io.handover.api.Redirect;

/**
 * One entry of a cluster's {@code redirect} list.
 *
 * @param backendName the backend's name, {@code consul}
 * @param redirect the entry bound to its cluster
 * @param primary whether it is the first entry: the primary never lets a failover proceed on failure
 */
public record RedirectEntry(String backendName, Redirect redirect, boolean primary) {

    /** {@code consul service main-master}. */
    public String describe() {
        return redirect.describe();
    }
}
