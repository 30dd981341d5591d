package io.handover.mysql;

import java.util.List;
import java.util.Optional;

/**
 * A cluster's hosts as they answered, and what an operator must know about them.
 *
 * @param cluster the cluster's name
 * @param hosts each host's answer, in configuration order
 * @param problems what is wrong, one sentence each; empty when healthy
 */
public record ClusterStatus(String cluster, List<HostStatus> hosts, List<String> problems) {

    public ClusterStatus {
        hosts = List.copyOf(hosts);
        problems = List.copyOf(problems);
    }

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** The writable master, if there is exactly one. */
    public Optional<HostStatus> master() {
        List<HostStatus> writable = hosts.stream().filter(HostStatus::writable).toList();
        return writable.size() == 1 ? Optional.of(writable.get(0)) : Optional.empty();
    }

    public ClusterStatus withProblems(List<String> more) {
        return new ClusterStatus(cluster, hosts, java.util.stream.Stream.concat(problems.stream(), more.stream()).toList());
    }
}
