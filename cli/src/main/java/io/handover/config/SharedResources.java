package io.handover.config;

import io.handover.api.ConfigReader;
import java.util.HashMap;
import java.util.Map;

/**
 * What a cluster's failover acts on that must be its own: the name its clients resolve (a Consul
 * service), its VIP, its servers. Each cluster has its own lock, so nothing serialises two clusters:
 * if two of them claimed the same thing, a failover of one would move the other's clients.
 */
final class SharedResources {

    /** The first claim of a resource: which cluster, and where in the file. */
    private record Claim(String cluster, String path, String owner) {}

    private final Map<String, Claim> claims = new HashMap<>();
    /** For each problem found, by its path: the other cluster, whose commands it stops too. */
    private final Map<String, String> sharedWith = new HashMap<>();

    Map<String, String> sharedWith() {
        return sharedWith;
    }

    private void conflict(ConfigReader reader, String key, String otherCluster, String message) {
        sharedWith.put(reader.path(key), otherCluster);
        reader.problem(key, message);
    }

    /**
     * Claims {@code resource} for {@code cluster}; a problem on {@code reader.key} if another cluster
     * claimed it first.
     *
     * @param resource what is claimed, comparable across clusters: {@code consul service main-master}
     * @param owner how the first claimer holds it, for the message: {@code host db1}
     * @param consequence why sharing it is wrong and what to do instead
     */
    void claim(String resource, String shown, String owner, String cluster, ConfigReader reader, String key, String consequence) {
        Claim first = claims.putIfAbsent(resource, new Claim(cluster, reader.path(key), owner));
        if (first != null && !first.cluster().equals(cluster)) {
            conflict(reader, key, first.cluster(), shown + " is also " + first.owner() + " of cluster " + first.cluster() + " (" + first.path()
                    + "): " + consequence);
        }
    }

    /** The addresses of every cluster's servers, by address: several servers (ports) of one machine may be in several clusters. */
    private final Map<String, Claim> serverAddresses = new HashMap<>();
    private final Map<String, Claim> vips = new HashMap<>();

    /** A server's address, which no other cluster's VIP may be. */
    void serverAddress(String address, String owner, String cluster, ConfigReader reader, String key) {
        serverAddresses.putIfAbsent(address, new Claim(cluster, reader.path(key), owner));
        Claim vip = vips.get(address);
        if (vip != null && !vip.cluster().equals(cluster)) {
            conflict(reader, key, vip.cluster(), address + " is also " + vip.owner() + " of cluster " + vip.cluster() + " (" + vip.path()
                    + "): a failover of that cluster would take this server's address; give the VIP an address of its own");
        }
    }

    /** A VIP: no other cluster's VIP, and no other cluster's server address. */
    void vip(String address, String cluster, ConfigReader reader, String key) {
        claim("vip " + address, "VIP " + address, "the VIP", cluster, reader, key,
                "a failover of either cluster would move the other's clients; give each cluster a VIP of its own");
        vips.putIfAbsent(address, new Claim(cluster, reader.path(key), "the VIP"));
        Claim server = serverAddresses.get(address);
        if (server != null && !server.cluster().equals(cluster)) {
            conflict(reader, key, server.cluster(), "VIP " + address + " is also the address of " + server.owner() + " of cluster " + server.cluster()
                    + " (" + server.path() + "): a failover of this cluster would take that server's address; give the VIP"
                    + " an address of its own");
        }
    }
}
