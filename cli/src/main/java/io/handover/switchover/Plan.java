package io.handover.switchover;

import io.handover.mysql.HostStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Who does what in a switchover, and whether the preconditions allow it.
 *
 * @param cluster the cluster's name
 * @param master the writable master to demote; null if there is not exactly one
 * @param candidate the replica to promote; null if none is eligible
 * @param replicas the other hosts to repoint to the candidate, in configuration order
 * @param excluded hosts the operator excluded: left exactly as they are
 * @param checks every precondition, in the order checked
 */
public record Plan(String cluster, HostStatus master, HostStatus candidate, List<HostStatus> replicas,
        List<String> excluded, List<Check> checks) {

    public Plan {
        replicas = List.copyOf(replicas);
        excluded = List.copyOf(excluded);
        checks = List.copyOf(checks);
    }

    public boolean refused() {
        return checks.stream().anyMatch(check -> !check.passed());
    }

    /** Every failed check in one message, for exit 4. */
    public String refusal() {
        return "refused: " + checks.stream().filter(check -> !check.passed()).map(Check::detail)
                .collect(Collectors.joining("; ")) + " (cluster " + cluster + "; nothing was changed)";
    }

    public Plan withCheck(Check check) {
        List<Check> more = new ArrayList<>(checks);
        more.add(check);
        return new Plan(cluster, master, candidate, replicas, excluded, more);
    }

    /** Whether another plan moves the same master to the same candidate with the same replicas. */
    public boolean sameRoles(Plan other) {
        return name(master).equals(name(other.master)) && name(candidate).equals(name(other.candidate))
                && replicas.stream().map(Plan::name).toList().equals(other.replicas.stream().map(Plan::name).toList());
    }

    private static String name(HostStatus status) {
        return status == null ? "-" : status.host().name();
    }
}
