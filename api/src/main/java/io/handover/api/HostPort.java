package io.handover.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server as configured: {@code 127.0.0.1:8600}, {@code dns.example.com:53} or {@code [::1]:8600}.
 * The host is resolved only when used, so that reading the configuration does no I/O.
 */
public record HostPort(String host, int port) {

    private static final Pattern HOST_PORT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9.-]+)):(\\d{1,5})");

    /** The host and port, or empty if {@code text} is not {@code host:port} with a port in 1-65535. */
    public static Optional<HostPort> parse(String text) {
        Matcher matcher = HOST_PORT.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(matcher.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(matcher.group(1) != null ? matcher.group(1) : matcher.group(2), port));
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
