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

    // equals and hashCode are written out: a record's generated ones are linked through
    // java.lang.runtime.ObjectMethods on first use, which spins a dozen method-handle classes that
    // no class data sharing archive keeps (20-50 ms in every hook call, which keys a map by Host).
    @Override
    public boolean equals(Object other) {
        return other instanceof Host host && port == host.port && candidate == host.candidate
                && name.equals(host.name) && address.equals(host.address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, port, candidate);
    }

    @Override
    public String toString() {
        return name + " (" + endpoint() + ")";
    }
}
