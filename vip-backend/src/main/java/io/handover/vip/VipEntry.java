package io.handover.vip;

import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import io.handover.api.Host;
import io.handover.toolkit.HostValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

    static boolean validInterface(String name) {
        return INTERFACE.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /** Reads the entry, recording every problem on it; null where a value is missing or wrong. */
    static VipEntry read(ConfigReader entry, Cluster cluster) {
        String text = entry.string("address");
        VipAddress address = text == null ? null : VipAddress.parse(text, message -> entry.problem("address", message)).orElse(null);
        if (address != null) {
            cluster.hosts().stream().filter(host -> host.address().equals(address.ip())).findFirst().ifPresent(host ->
                    entry.problem("address", "'" + address.ip() + "' is the address of host " + host.name()
                            + ": the VIP must be an address of its own, which moves between the hosts"));
        }
        String defaultInterface = entry.string("interface", null);
        if (defaultInterface != null && !validInterface(defaultInterface)) {
            entry.problem("interface", "'" + defaultInterface + "' is not " + INTERFACE_EXPECTED);
            defaultInterface = null;
        }
        Map<Host, String> interfaces = HostValues.read(entry, "interfaces", cluster, false, VipEntry::validInterface, INTERFACE_EXPECTED);
        if (!entry.has("interface")) {
            // a host whose override is there but wrong already has its problem
            Set<String> named = entry.object("interfaces").keys();
            List<String> without = cluster.hosts().stream().map(Host::name).filter(name -> !named.contains(name)).toList();
            if (without.size() == cluster.hosts().size()) {
                entry.problem("interface", "missing required key 'interface': the network interface that holds the VIP, such as eth0");
            } else if (!without.isEmpty()) {
                entry.problem("interface", "missing: interfaces { } names none for " + String.join(", ", without)
                        + ": give the interface that holds the VIP on the others, such as eth0");
            }
        }
        // no rejectUnknownKeys() here: the core calls it on the redirect entry after bind()
        return new VipEntry(address, defaultInterface, interfaces);
    }
}
