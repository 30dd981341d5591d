package io.handover.consul;

import io.handover.api.HostPort;
import java.util.Optional;

/**
 * A Consul DNS server to check, as configured: {@code 127.0.0.1:8600} or {@code [::1]:8600}. The
 * host is resolved only when queried, so that reading the configuration does no I/O.
 */
record DnsEndpoint(String host, int port) {

    static Optional<DnsEndpoint> parse(String text) {
        return HostPort.parse(text).map(parsed -> new DnsEndpoint(parsed.host(), parsed.port()));
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
