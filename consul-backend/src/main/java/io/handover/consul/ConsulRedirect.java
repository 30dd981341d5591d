package io.handover.consul;

import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import java.util.regex.Pattern;

/**
 * One cluster's redirect entry: {@code { backend = "consul", service = "main-master" }}.
 *
 * @param service the Consul service whose one instance is the master; also its service ID, and
 *     the name clients resolve: {@code <service>.service.consul}
 * @param kvName the cluster's name in orchestrator's KV layout ({@code <kv.prefix>/<kvName>});
 *     the cluster's name unless {@code kv-name} is set
 */
record ConsulRedirect(String service, String kvName) {

    /** A DNS label: Consul registers other names, but its DNS interface cannot answer them. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    static ConsulRedirect read(ConfigReader redirect, Cluster cluster, boolean kvEnabled, String kvEnabledPath) {
        String service = redirect.string("service");
        if (service != null && !SERVICE_NAME.matcher(service).matches()) {
            redirect.problem("service", "'" + service + "' is not a valid Consul service name: use letters, digits and"
                    + " dashes, at most 63, so that DNS can answer <service>.service.consul");
        }
        String kvName = redirect.string("kv-name", cluster.name());
        if (redirect.has("kv-name") && !kvEnabled) {
            redirect.problem("kv-name", "is set, but " + kvEnabledPath + " is false");
        }
        if (kvName != null && (kvName.isBlank() || kvName.contains("/"))) {
            redirect.problem("kv-name", "'" + kvName + "' must be a non-empty key segment without '/'");
        }
        // no rejectUnknownKeys() here: the core calls it on the redirect entry after create()
        return new ConsulRedirect(service, kvName);
    }
}
