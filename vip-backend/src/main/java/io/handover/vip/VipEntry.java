package io.handover.vip;

import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import io.handover.api.Host;
import io.handover.toolkit.HostValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One cluster's redirect entry: {@code { backend = "vip", address = "198.51.100.50/24", interface = "eth0" }},
 * with {@code interfaces { db3 = "eth1" }} for hosts whose interface on that subnet is named otherwise.
 *
 * @param address the VIP and its prefix length
 * @param defaultInterface the interface that holds the VIP on every host without an override; null
 *     when every host has one
 * @param interfaces the overrides, by host
 */
record VipEntry(VipAddress address, String defaultInterface, Map<Host, String> interfaces) {

    /** What the kernel accepts (dev_valid_name: at most 15 bytes, no '/', ':' or whitespace), in printable ASCII. */
    private static final Pattern INTERFACE = Pattern.compile("[\\x21-\\x7e&&[^/:]]{1,15}");
    static final String INTERFACE_EXPECTED = "a Linux interface name (1-15 characters; no '/', ':' or whitespace)";

    VipEntry {
        interfaces = Map.copyOf(interfaces);
    }

    /** The interface that holds the VIP on {@code host}. */
    String interfaceOf(Host host) {
        return interfaces.getOrDefault(host, defaultInterface);
    }

    /** {@code vip 198.51.100.50 on eth0}, {@code vip 198.51.100.50 on eth0 (db3: eth1)}. */
    String describe(Cluster cluster) {
        String ip = address == null ? "(no valid address)" : address.ip();
        List<String> overrides = cluster.hosts().stream().filter(interfaces::containsKey)
                .filter(host -> !interfaces.get(host).equals(defaultInterface))
                .map(host -> host.name() + ": " + interfaces.get(host)).toList();
        if (defaultInterface == null) {
            return "vip " + ip + " on " + String.join(", ", overrides);
        }
        return "vip " + ip + " on " + defaultInterface + (overrides.isEmpty() ? "" : " (" + String.join(", ", overrides) + ")");
    }

    /**
     * Why {@code name} is refused. {@code eth0:1} is an alias label, which the ifconfig scripts MHA
     * ships use; {@code ip addr add ... dev eth0:1} fails, and the VIP needs none: it is a second address.
     */
    private static String notAnInterface(String name) {
        String device = label(name);
        return device == null ? "'" + name + "' is not " + INTERFACE_EXPECTED
                : "labels such as " + name + " are not interfaces; give the device, " + device
                        + " (the VIP is added as a second address, no label needed)";
    }

    /** The device of an alias label such as {@code eth0:1}; null if {@code name} is none. */
    private static String label(String name) {
        int colon = name.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String device = name.substring(0, colon);
        return validInterface(device) && name.substring(colon + 1).matches("[A-Za-z0-9_.-]{1,15}") ? device : null;
    }

    static boolean validInterface(String name) {
        return INTERFACE.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /** Reads the entry, recording every problem on it; null where a value is missing or wrong. */
    static VipEntry read(ConfigReader entry, Cluster cluster) {
        String text = entry.string("address");
        VipAddress address = text == null ? null : VipAddress.parse(text, message -> entry.problem("address", message)).orElse(null);
        if (address != null) {
            Host same = cluster.hosts().stream().filter(host -> host.address().equals(address.ip())).findFirst().orElse(null);
            if (same != null) {
                entry.problem("address", "'" + address.ip() + "' is the address of host " + same.name()
                        + ": the VIP must be an address of its own, which moves between the hosts");
            } else if (cluster.hosts().stream().allMatch(host -> VipAddress.isIpLiteral(host.address()))
                    && cluster.hosts().stream().noneMatch(host -> address.subnetContains(host.address()))) {
                // it would be added and announced, then no client (nor handover's verify) could reach it: checked here, not
                // after a whole deadline. Hosts given by DNS name are not resolved to check it.
                entry.problem("address", "no host of cluster " + cluster.name() + " is in " + address.subnet()
                        + ": a VIP lives on the hosts' subnet (its hosts: "
                        + cluster.hosts().stream().map(Host::address).collect(Collectors.joining(", ")) + ")");
            }
        }
        String defaultInterface = entry.string("interface", null);
        if (defaultInterface != null && !validInterface(defaultInterface)) {
            entry.problem("interface", notAnInterface(defaultInterface));
            defaultInterface = null;
        }
        // labels pass here to be told apart below: their own message says what to write instead
        Map<Host, String> interfaces = new LinkedHashMap<>(HostValues.read(entry, "interfaces", cluster, false,
                name -> validInterface(name) || label(name) != null, INTERFACE_EXPECTED));
        for (Host host : List.copyOf(interfaces.keySet())) {
            if (!validInterface(interfaces.get(host))) {
                entry.object("interfaces").problem(host.name(), notAnInterface(interfaces.remove(host)));
            }
        }
        if (!entry.has("interface")) {
            // a host whose override is there but wrong already has its problem
            Set<String> named = entry.object("interfaces").keys();
            List<String> without = cluster.hosts().stream().map(Host::name).filter(name -> !named.contains(name)).toList();
            if (without.size() == cluster.hosts().size()) {
                entry.problem("interface", "missing required key 'interface': the network interface that holds the VIP on every host,"
                        + " such as eth0; or one per host: interfaces { " + cluster.hosts().stream()
                        .map(host -> host.name() + " = \"...\"").collect(Collectors.joining(", ")) + " }");
            } else if (!without.isEmpty()) {
                entry.problem("interface", "missing: interfaces { } names none for " + String.join(", ", without)
                        + ": give the interface that holds the VIP on the others, such as eth0");
            }
        }
        // no rejectUnknownKeys() here: the core calls it on the redirect entry after bind()
        return new VipEntry(address, defaultInterface, interfaces);
    }
}
