package io.handover.toolkit;

import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import io.handover.api.Host;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A value per host of the cluster, such as {@code network-interfaces { db1 = "eni-...", db2 = "eni-..." }}:
 * every key must name a host of the cluster, and with {@code required} every host needs a value,
 * so that a failover never finds a host it cannot move clients to.
 */
public final class HostValues {

    private HostValues() {}

    /**
     * @param valid whether a value is well formed
     * @param expected what a well-formed value looks like, for the message ({@code an ENI id such as eni-0a1b2c3d})
     */
    public static Map<Host, String> read(ConfigReader entry, String key, Cluster cluster, boolean required,
            Predicate<String> valid, String expected) {
        Map<String, String> raw = entry.stringMap(key);
        ConfigReader values = entry.object(key);
        Map<Host, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> value : raw.entrySet()) {
            Host host = cluster.host(value.getKey()).orElse(null);
            if (host == null) {
                values.problem(value.getKey(), "'" + value.getKey() + "' is no host of cluster " + cluster.name()
                        + " (its hosts: " + String.join(", ", cluster.hosts().stream().map(Host::name).toList()) + ")");
            } else if (!valid.test(value.getValue())) {
                values.problem(value.getKey(), "'" + value.getValue() + "' is not " + expected);
            } else {
                result.put(host, value.getValue());
            }
        }
        if (required) {
            for (Host host : cluster.hosts()) {
                if (!raw.containsKey(host.name())) {
                    entry.problem(key, "has no value for host " + host.name() + ": every host of cluster " + cluster.name()
                            + " needs one, or a failover to it could not move clients");
                }
            }
        }
        return result;
    }
}
