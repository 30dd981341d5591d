package io.handover.awsroute;

import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import io.handover.api.Host;
import io.handover.toolkit.HostValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One cluster's redirect entry: the destination clients connect to, every route table that must
 * send it to the master, and each host's network interface. Every host needs an interface: a
 * failover to a host without one could not move clients, and is refused when the file is loaded.
 *
 * @param destination the overlay address or block, outside the VPC's CIDR ({@code 198.18.200.10/32})
 * @param routeTables the route tables of every subnet whose clients must reach the master
 * @param interfaces each host's network interface (ENI), in the cluster's host order
 */
record RouteEntry(Cidr destination, List<String> routeTables, Map<Host, String> interfaces) {

    static final Pattern ROUTE_TABLE = Pattern.compile("rtb-[0-9a-f]{8,17}");
    static final Pattern INTERFACE = Pattern.compile("eni-[0-9a-f]{8,17}");

    RouteEntry {
        routeTables = List.copyOf(routeTables);
        interfaces = Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
    }

    static RouteEntry read(ConfigReader entry, Cluster cluster) {
        Cidr destination = destination(entry);
        List<String> routeTables = routeTables(entry);
        Map<Host, String> interfaces = HostValues.read(entry, "network-interfaces", cluster, true,
                value -> INTERFACE.matcher(value).matches(), "a network interface id such as eni-0a1b2c3d4e5f60718");
        Map<String, Host> owners = new LinkedHashMap<>();
        ConfigReader values = entry.object("network-interfaces");
        for (Map.Entry<Host, String> value : interfaces.entrySet()) {
            Host owner = owners.putIfAbsent(value.getValue(), value.getKey());
            if (owner != null) {
                values.problem(value.getKey().name(), "'" + value.getValue() + "' is also " + owner.name()
                        + "'s interface: each host needs its own, or a route could not tell which host it sends clients to");
            }
        }
        return new RouteEntry(destination, routeTables, interfaces);
    }

    private static Cidr destination(ConfigReader entry) {
        String value = entry.string("destination");
        if (value == null) {
            return null;
        }
        Optional<Cidr> cidr = Cidr.parse(value);
        if (cidr.isEmpty()) {
            entry.problem("destination", "'" + value + "' is not an IPv4 CIDR block such as 198.18.200.10/32");
            return null;
        }
        if (!cidr.get().isNetwork()) {
            entry.problem("destination", "'" + value + "' has host bits set, which EC2 refuses: write " + cidr.get().network()
                    + " for the block, or " + value.strip().replaceAll("/\\d+$", "/32") + " for the one address");
            return null;
        }
        return cidr.get();
    }

    private static List<String> routeTables(ConfigReader entry) {
        List<String> values = entry.stringList("route-tables", List.of());
        if (!entry.has("route-tables")) {
            entry.problem("route-tables", "missing required key 'route-tables'");
            return List.of();
        }
        if (values.isEmpty()) {
            entry.problem("route-tables", "must list at least one route table, such as [\"rtb-0a1b2c3d4e5f60718\"]");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> result = new ArrayList<>();
        for (String value : values) {
            if (!ROUTE_TABLE.matcher(value).matches()) {
                entry.problem("route-tables", "'" + value + "' is not a route table id such as rtb-0a1b2c3d4e5f60718");
            } else if (!seen.add(value)) {
                entry.problem("route-tables", "'" + value + "' is listed twice");
            } else {
                result.add(value);
            }
        }
        return result;
    }

    Optional<String> interfaceOf(Host host) {
        return Optional.ofNullable(interfaces.get(host));
    }

    /** The host whose interface {@code target} is; empty for other interfaces and for gateways. */
    Optional<Host> hostOf(String target) {
        return interfaces.entrySet().stream().filter(entry -> entry.getValue().equals(target)).map(Map.Entry::getKey).findFirst();
    }

    /** {@code eni-0abc (db2)}, for messages. */
    String name(String networkInterface) {
        return hostOf(networkInterface).map(host -> networkInterface + " (" + host.name() + ")").orElse(networkInterface);
    }
}
