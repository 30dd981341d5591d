package io.handover.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where one source of truth sends clients, as hosts of the cluster: a Consul instance's address, the
 * host holding a VIP and a route's network interface all become the same {@link Host}, so that
 * status, the MHA status hook and switchover compare like with like.
 *
 * @param hosts the cluster's hosts it sends clients to, once per target (two instances on one host show twice)
 * @param unmapped targets that are no host of the cluster ({@code 192.0.2.9}, {@code eni-0abc}), as the backend names them
 */
public record Targets(List<Host> hosts, List<String> unmapped) {

    public static final Targets NONE = new Targets(List.of(), List.of());

    public Targets {
        hosts = List.copyOf(hosts);
        unmapped = List.copyOf(unmapped);
    }

    /** Maps each raw target through {@code toHost}; those it cannot map stay as they are. */
    public static Targets map(List<String> raw, Function<String, Optional<Host>> toHost) {
        List<Host> hosts = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        for (String target : raw) {
            toHost.apply(target).ifPresentOrElse(hosts::add, () -> unmapped.add(target));
        }
        return new Targets(hosts, unmapped);
    }

    /** Addresses mapped to the cluster's hosts by address (any port). */
    public static Targets ofAddresses(Cluster cluster, List<String> addresses) {
        return map(addresses, address -> cluster.hosts().stream().filter(host -> host.address().equals(address)).findFirst());
    }

    public boolean isEmpty() {
        return hosts.isEmpty() && unmapped.isEmpty();
    }

    /** True if clients go to {@code host} and nowhere else. */
    public boolean onlyAt(Host host) {
        return unmapped.isEmpty() && hosts.equals(List.of(host));
    }

    /** {@code db2 (198.51.100.12:3306)}, {@code db1 (...), 192.0.2.9 (no host of the cluster)} or {@code nowhere}. */
    public String describe() {
        if (isEmpty()) {
            return "nowhere";
        }
        return Stream.concat(hosts.stream().map(Host::toString), unmapped.stream().map(target -> target + " (no host of the cluster)"))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return describe();
    }
}
