package io.handover.config;

import io.handover.api.FailoverBackend;

/**
 * One entry of a cluster's {@code redirect} list.
 *
 * @param backendName the backend's name, {@code consul}
 * @param backend the backend bound to this cluster
 * @param primary whether it is the first entry: the primary never lets a failover proceed on failure
 */
public record Redirect(String backendName, FailoverBackend backend, boolean primary) {}
