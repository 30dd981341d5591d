package io.handover.config;

import io.handover.api.ConfigReader;
import io.handover.api.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a cluster's clients connect: the name they resolve and the DNS servers they ask. The
 * probe connects the same way, so that what it measures is what clients see.
 *
 * @param name the DNS name of the master ({@code main-master.service.consul})
 * @param port the MySQL port clients connect to
 * @param dns the DNS servers to ask, in order
 */
public record ClientEndpoint(String name, int port, List<DnsServer> dns) {

    public ClientEndpoint {
        dns = List.copyOf(dns);
    }

    /** A DNS server as {@code host:port}. */
    public record DnsServer(String host, int port) {
        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /** Reads and validates a {@code client-endpoint} block; empty when the block is absent. */
    static Optional<ClientEndpoint> read(ConfigReader cluster) {
        if (!cluster.has("client-endpoint")) {
            cluster.object("client-endpoint");
            return Optional.empty();
        }
        ConfigReader reader = cluster.object("client-endpoint");
        String name = reader.string("name");
        if (name != null && !ConfigLoader.validAddress(name)) {
            reader.problem("name", name.matches("[0-9.]+") ? ConfigLoader.addressProblem(name) : "'" + name + "' is not a host name");
        }
        int port = reader.integer("port", ConfigLoader.DEFAULT_PORT, 1, 65535);
        List<DnsServer> servers = new ArrayList<>();
        if (!reader.has("dns")) {
            reader.problem("dns", "missing required key 'dns' (the DNS servers clients ask, as host:port)");
        }
        List<String> entries = reader.stringList("dns", null);
        if (entries != null && entries.isEmpty()) {
            reader.problem("dns", "must list at least one DNS server (host:port)");
        }
        for (String entry : entries == null ? List.<String>of() : entries) {
            Optional<DnsServer> server = parse(entry);
            if (server.isEmpty()) {
                reader.problem("dns", "'" + entry + "' is not host:port (such as 10.0.0.2:8600)");
            } else if (!ConfigLoader.validAddress(server.get().host())) {
                reader.problem("dns", "in '" + entry + "': " + ConfigLoader.addressProblem(server.get().host()));
            } else {
                servers.add(server.get());
            }
        }
        reader.rejectUnknownKeys();
        return Optional.of(new ClientEndpoint(name, port, servers));
    }

    static Optional<DnsServer> parse(String text) {
        return HostPort.parse(text).map(parsed -> new DnsServer(parsed.host(), parsed.port()));
    }
}
