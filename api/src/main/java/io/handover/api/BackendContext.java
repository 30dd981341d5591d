package io.handover.api;

import java.util.Map;

/**
 * What a backend is created from.
 *
 * @param cluster the cluster whose clients it redirects
 * @param backendConfig {@code handover.backends.<name>}: settings shared by all clusters (may be empty)
 * @param redirectConfig the cluster's redirect entry; its {@code backend} key is already read
 * @param environment the process environment, for settings such as {@code CONSUL_HTTP_TOKEN}
 */
public record BackendContext(
        Cluster cluster, ConfigReader backendConfig, ConfigReader redirectConfig, Map<String, String> environment) {

    public BackendContext {
        environment = Map.copyOf(environment);
    }
}
