package io.handover.mysql;

import io.handover.api.Problem;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster's hosts as they answered, and what an operator must know about them.
 *
 * @param cluster the cluster's name
 * @param hosts each host's answer, in configuration order
 * @param findings what is wrong, each with its stable code; empty when healthy
 */
public record ClusterStatus(String cluster, List<HostStatus> hosts, List<Problem> findings) {

    public ClusterStatus {
        hosts = List.copyOf(hosts);
        findings = List.copyOf(findings);
    }

    public boolean healthy() {
        return findings.isEmpty();
    }

    /** What is wrong, one sentence each. */
    public List<String> problems() {
        return findings.stream().map(Problem::text).toList();
    }

    /** The writable master, if there is exactly one. */
    public Optional<HostStatus> master() {
        List<HostStatus> writable = hosts.stream().filter(HostStatus::writable).toList();
        return writable.size() == 1 ? Optional.of(writable.get(0)) : Optional.empty();
    }

    public ClusterStatus withProblems(List<Problem> more) {
        return new ClusterStatus(cluster, hosts, Stream.concat(findings.stream(), more.stream()).toList());
    }
}
