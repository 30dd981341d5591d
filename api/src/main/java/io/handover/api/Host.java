package io.handover.api;

import java.util.Objects;

/**
 * A MySQL server of a cluster.
 *
 * @param name a short name, unique in its cluster ({@code db1}); Consul's node name
 * @param address an IP address or DNS name that clients and handover connect to
 * @param port the MySQL port
 * @param candidate whether it may become master
 */
public record Host(String name, String address, int port, boolean candidate) {

    public Host {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    /** {@code address:port}, the way MHA and humans name a server. */
    public String endpoint() {
        return address + ":" + port;
    }

    @Override
    public String toString() {
        return name + " (" + endpoint() + ")";
    }
}
