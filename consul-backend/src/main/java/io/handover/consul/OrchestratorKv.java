package io.handover.consul;

import io.handover.api.Host;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * orchestrator's master-discovery keys (its {@code go/inst/cluster.go}), so that what was written
 * for orchestrator, such as consul-template feeding HAProxy, works unchanged:
 * <pre>
 * mysql/master/main           = 198.51.100.12:3306
 * mysql/master/main/hostname  = 198.51.100.12
 * mysql/master/main/port      = 3306
 * mysql/master/main/ipv4      = 198.51.100.12
 * mysql/master/main/ipv6      =
 * </pre>
 * orchestrator resolves the host name for {@code ipv4}/{@code ipv6}; handover does no DNS during a
 * failover, so they hold the address when it is a literal of that family, else are empty.
 */
final class OrchestratorKv {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private OrchestratorKv() {}

    /** The key that names the master; the others are below it. */
    static String masterKey(String prefix, String name) {
        return prefix + "/" + name;
    }

    static Map<String, String> entries(String prefix, String name, Host master) {
        String key = masterKey(prefix, name);
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(key, master.endpoint());
        entries.put(key + "/hostname", master.address());
        entries.put(key + "/port", String.valueOf(master.port()));
        InetAddress literal = literal(master.address());
        entries.put(key + "/ipv4", literal instanceof Inet4Address ? literal.getHostAddress() : "");
        entries.put(key + "/ipv6", literal instanceof Inet6Address ? literal.getHostAddress() : "");
        return entries;
    }

    /** The address as an IP literal, or null for a host name; never a DNS query. */
    private static InetAddress literal(String address) {
        boolean ipv4 = IPV4.matcher(address).matches()
                && Pattern.compile("\\.").splitAsStream(address).allMatch(octet -> Integer.parseInt(octet) <= 255);
        if (!ipv4 && !address.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
