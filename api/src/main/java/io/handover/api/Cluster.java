package io.handover.api;

import java.util.List;
import java.util.Optional;

/**
 * One replication topology: its hosts and where its clients find the master.
 *
 * @param name the cluster's name in configuration
 * @param hosts its MySQL servers, in configuration order
 */
public record Cluster(String name, List<Host> hosts) {

    public Cluster {
        hosts = List.copyOf(hosts);
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(host -> host.name().equals(name)).findFirst();
    }

    /**
     * The host at {@code address:port}; {@code address} may also be a host's name. An address
     * matches before a name: a host named like another host's address must never be picked for it.
     */
    public Optional<Host> hostAt(String address, int port) {
        return hosts.stream().filter(host -> host.port() == port && host.address().equals(address)).findFirst()
                .or(() -> hosts.stream().filter(host -> host.port() == port && host.name().equals(address)).findFirst());
    }
}
