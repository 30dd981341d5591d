package io.handover.consul;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Consul DNS server to check, as configured: {@code 127.0.0.1:8600} or {@code [::1]:8600}. The
 * host is resolved only when queried, so that reading the configuration does no I/O.
 */
record DnsEndpoint(String host, int port) {

    private static final Pattern HOST_PORT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9.-]+)):(\\d{1,5})");

    static Optional<DnsEndpoint> parse(String text) {
        Matcher matcher = HOST_PORT.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(matcher.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        String host = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        return Optional.of(new DnsEndpoint(host, port));
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
