package io.handover.mysql;

import io.handover.api.Cluster;
import io.handover.api.Host;
import io.handover.api.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns what the hosts said into what an operator must know: no writable master, two writable
 * masters, a replica of a server outside the cluster, broken or lagging replication, a host that
 * cannot be reached, transactions a host has and the master lacks (errant), and a MySQL host that
 * is read-only only until it restarts.
 */
public final class TopologyAnalyzer {

    private TopologyAnalyzer() {}

    public static ClusterStatus analyze(Cluster cluster, List<HostStatus> hosts, Duration maxLag) {
        List<Problem> problems = new ArrayList<>();
        for (HostStatus status : hosts) {
            if (!status.reachable()) {
                problems.add(new Problem("host-unreachable", status.host().name() + " is unreachable: " + status.error()));
            }
        }
        List<HostStatus> writable = hosts.stream().filter(HostStatus::writable).toList();
        if (writable.isEmpty()) {
            problems.add(new Problem("no-writable-master", "no writable master"));
        } else if (writable.size() > 1) {
            problems.add(new Problem("several-writable-masters", writable.size() + " writable masters: "
                    + writable.stream().map(s -> s.host().name()).collect(Collectors.joining(", "))
                    // what to do, and where: such as an old master that restarted writable after a failover
                    + " (SET GLOBAL read_only = ON on each one that must not be master; docs/OPERATIONS.md, Runbooks)"));
        }
        for (HostStatus status : hosts) {
            if (status.reachable()) {
                problems.addAll(replicationProblems(cluster, status, maxLag));
            }
        }
        String master = writable.size() == 1 ? writable.get(0).host().name() : "the master";
        for (HostStatus status : hosts) {
            if (status.hasErrantGtids()) {
                problems.add(new Problem("errant-transactions", errantProblem(status, master)));
            }
            if (status.reachable() && status.readOnly() && Boolean.FALSE.equals(status.restartsReadOnly())) {
                problems.add(new Problem("read-only-until-restart", status.host().name()
                        + " is read-only only until it restarts: read_only and super_read_only were"
                        + " set with SET GLOBAL and are not persisted (SET PERSIST super_read_only = ON keeps them)"));
            }
        }
        return new ClusterStatus(cluster.name(), hosts, problems);
    }

    /** The sentence status and switchover use for a host with errant transactions. */
    public static String errantProblem(HostStatus status, String master) {
        return status.host().name() + " has transactions " + master + " lacks (errant GTIDs " + status.errantGtids()
                + "): promoted, it would hand them to every replica";
    }

    private static List<Problem> replicationProblems(Cluster cluster, HostStatus status, Duration maxLag) {
        String name = status.host().name();
        ReplicaStatus replica = status.replica();
        List<Problem> problems = new ArrayList<>();
        if (replica == null) {
            if (status.readOnly()) {
                problems.add(new Problem("read-only-not-replicating", name + " is read-only but replicates from nothing"));
            }
            return problems;
        }
        Optional<Host> source = cluster.hostAt(replica.sourceHost(), replica.sourcePort());
        if (source.isEmpty()) {
            problems.add(new Problem("source-outside-cluster",
                    name + " replicates from " + replica.source() + ", which is not a host of cluster " + cluster.name()));
        } else if (source.get().equals(status.host())) {
            problems.add(new Problem("replicates-from-itself", name + " replicates from itself"));
        }
        if (!"Yes".equals(replica.ioRunning())) {
            problems.add(new Problem("replication-io-stopped", name + ": replication IO thread is " + replica.ioRunning()
                    + (replica.lastIoError().isEmpty() ? "" : " (" + replica.lastIoError() + ")")));
        }
        if (!"Yes".equals(replica.sqlRunning())) {
            problems.add(new Problem("replication-sql-stopped", name + ": replication SQL thread is " + replica.sqlRunning()
                    + (replica.lastSqlError().isEmpty() ? "" : " (" + replica.lastSqlError() + ")")));
        }
        if (replica.lagSeconds() != null && replica.lagSeconds() > maxLag.toSeconds()) {
            problems.add(new Problem("replica-lagging", name + " lags " + replica.lagSeconds() + " s behind " + replica.source()
                    + " (max-replica-lag is " + maxLag.toSeconds() + " s)"));
        }
        return problems;
    }
}
