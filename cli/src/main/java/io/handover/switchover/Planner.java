package io.handover.switchover;

import io.handover.api.Cluster;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import io.handover.mysql.HostStatus;
import io.handover.mysql.ReplicaStatus;
import io.handover.mysql.TopologyAnalyzer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides from the gathered facts alone (no I/O) whether a switchover may run, who becomes master
 * and who is repointed. Every precondition is checked and reported, not just the first failing one.
 */
public final class Planner {

    private Planner() {}

    /**
     * @param to the requested new master, or null to pick the eligible replica with the least lag
     * @param excluded hosts to leave alone; they need not be healthy (but must not be writable)
     */
    public static Plan plan(ClusterConfig config, String to, Set<String> excluded, Facts facts) {
        Cluster cluster = config.cluster();
        List<HostStatus> hosts = facts.topology().hosts();
        List<Check> checks = new ArrayList<>();

        for (HostStatus host : hosts) {
            if (!host.reachable() && !excluded.contains(host.host().name())) {
                checks.add(Check.fail("host", host.host().name() + " is unreachable: " + host.error()
                        + " (give --exclude " + host.host().name() + " to switch without it)"));
            }
        }
        HostStatus master = master(hosts, checks);
        checkOneServerFamily(hosts, excluded, checks);
        checkSupportedVersions(hosts, excluded, checks);

        HostStatus candidate = null;
        List<HostStatus> replicas = new ArrayList<>();
        if (master != null) {
            candidate = candidate(cluster, config.switchover().maxCandidateLag(), to, excluded, hosts, master, checks);
            // Without its own binary log of what it replicated, no other host could be repointed to it by GTID.
            String binlogProblem = candidate == null ? null : candidate.binlogProblem();
            if (binlogProblem != null) {
                checks.add(Check.fail("candidate", candidate.host().name() + " " + binlogProblem
                        + ": the other hosts could not replicate from it by GTID"));
                candidate = null;
            }
            // Without any eligible candidate the candidate check already said what is wrong with each replica.
            boolean replicasJudged = candidate != null || to != null;
            for (HostStatus host : replicasJudged ? hosts : List.<HostStatus>of()) {
                String name = host.host().name();
                if (host == master || name.equals(to) || host == candidate || excluded.contains(name) || !host.reachable()) {
                    continue;
                }
                Optional<String> problem = replicationProblem(cluster, host, master, config.maxReplicaLag(), "max-replica-lag");
                if (problem.isPresent()) {
                    checks.add(Check.fail("replica", name + " " + problem.get() + " (give --exclude " + name + " to switch without it)"));
                } else {
                    checks.add(Check.pass("replica", name + " " + healthy(host, master)));
                    replicas.add(host);
                }
            }
            checkErrantTransactions(hosts, master, excluded, checks);
            checkTransactions(master, config.switchover().maxTransactionAge(), facts, checks);
        }
        for (String name : excluded) {
            checks.add(Check.pass("excluded", name + " is left as it is"));
        }
        for (Facts.BackendState backend : facts.backends()) {
            checks.add(backend.error() != null
                    ? Check.fail("redirect", backend.backend() + " cannot be read: " + backend.error())
                    : Check.pass("redirect", backend.backend() + " sends clients to "
                            + backend.targets().describe()));
        }
        return new Plan(cluster.name(), master, candidate, replicas, List.copyOf(excluded), checks);
    }

    private static HostStatus master(List<HostStatus> hosts, List<Check> checks) {
        List<HostStatus> writable = hosts.stream().filter(HostStatus::writable).toList();
        if (writable.isEmpty()) {
            checks.add(Check.fail("master", "no host is writable"));
            return null;
        }
        if (writable.size() > 1) {
            checks.add(Check.fail("master", writable.size() + " hosts are writable: "
                    + writable.stream().map(host -> host.host().name()).collect(Collectors.joining(", "))));
            return null;
        }
        HostStatus master = writable.get(0);
        if (master.replica() != null) {
            checks.add(Check.fail("master", master.host().name() + " is writable but also replicates from "
                    + master.replica().source() + ": switchover needs a master that replicates from nothing"));
            return null;
        }
        checks.add(Check.pass("master", master.host().name() + " (" + master.host().endpoint() + ") is the only writable host"));
        return master;
    }

    /** MariaDB 10.6+ and MySQL 8.0+: the statements handover generates need them. */
    static void checkSupportedVersions(List<HostStatus> hosts, Set<String> excluded, List<Check> checks) {
        for (HostStatus host : hosts) {
            if (!host.reachable() || excluded.contains(host.host().name())) {
                continue;
            }
            String[] numbers = host.version().split("[.-]");
            int major = Integer.parseInt(numbers[0]);
            int minor = numbers.length > 1 && numbers[1].matches("\\d+") ? Integer.parseInt(numbers[1]) : 0;
            boolean supported = host.flavor() == io.handover.mysql.Flavor.MARIADB
                    ? major > 10 || major == 10 && minor >= 6
                    : major >= 8;
            if (!supported) {
                checks.add(Check.fail("servers", host.host().name() + " runs " + host.flavor().displayName() + " "
                        + host.version() + "; switchover needs MariaDB 10.6 or later, or MySQL 8.0 or later"));
            }
        }
    }

    private static void checkOneServerFamily(List<HostStatus> hosts, Set<String> excluded, List<Check> checks) {
        Set<String> families = hosts.stream()
                .filter(host -> host.reachable() && !excluded.contains(host.host().name()))
                .map(host -> host.flavor().displayName()).collect(Collectors.toCollection(java.util.TreeSet::new));
        if (families.size() > 1) {
            checks.add(Check.fail("servers", "the hosts mix " + String.join(" and ", families)
                    + ": their GTIDs are incompatible"));
        }
    }

    private static HostStatus candidate(Cluster cluster, Duration maxLag, String to, Set<String> excluded,
            List<HostStatus> hosts, HostStatus master, List<Check> checks) {
        if (to != null) {
            HostStatus requested = hosts.stream().filter(host -> host.host().name().equals(to)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no host " + to + " in cluster " + cluster.name()));
            if (requested == master) {
                checks.add(Check.fail("candidate", to + " is already the master"));
                return null;
            }
            Optional<String> problem = ineligible(cluster, requested, master, maxLag, excluded);
            if (problem.isPresent()) {
                checks.add(Check.fail("candidate", to + " " + problem.get()));
                return null;
            }
            checks.add(Check.pass("candidate", to + " " + healthy(requested, master) + " (max " + maxLag.toSeconds() + " s)"));
            return requested;
        }
        List<String> reasons = new ArrayList<>();
        List<HostStatus> eligible = new ArrayList<>();
        for (HostStatus host : hosts) {
            if (host == master) {
                continue;
            }
            Optional<String> problem = ineligible(cluster, host, master, maxLag, excluded);
            if (problem.isPresent()) {
                reasons.add(host.host().name() + " " + problem.get());
            } else {
                eligible.add(host);
            }
        }
        // The least lag first; among equals the configuration order (the list is in it, and sort is stable).
        Optional<HostStatus> best = eligible.stream().min(Comparator.comparingLong(host -> host.replica().lagSeconds()));
        if (best.isEmpty()) {
            checks.add(Check.fail("candidate", "no replica can become master: " + String.join("; ", reasons)));
            return null;
        }
        checks.add(Check.pass("candidate", best.get().host().name() + " " + healthy(best.get(), master)
                + " (max " + maxLag.toSeconds() + " s), the least lag of " + eligible.size() + " eligible"));
        return best.get();
    }

    private static Optional<String> ineligible(Cluster cluster, HostStatus host, HostStatus master, Duration maxLag, Set<String> excluded) {
        if (excluded.contains(host.host().name())) {
            return Optional.of("is excluded");
        }
        if (!host.host().candidate()) {
            return Optional.of("has candidate = false in the configuration");
        }
        if (!host.reachable()) {
            return Optional.of("is unreachable");
        }
        return replicationProblem(cluster, host, master, maxLag, "switchover.max-candidate-lag");
    }

    /** Why {@code host} is not a healthy GTID replica of {@code master}, if it is not. */
    static Optional<String> replicationProblem(Cluster cluster, HostStatus host, HostStatus master, Duration maxLag, String setting) {
        ReplicaStatus replica = host.replica();
        if (replica == null) {
            return Optional.of("does not replicate");
        }
        Optional<Host> source = cluster.hostAt(replica.sourceHost(), replica.sourcePort());
        if (source.isEmpty() || !source.get().equals(master.host())) {
            return Optional.of("replicates from " + replica.source() + ", not from the master " + master.host().name());
        }
        if (!"Yes".equals(replica.ioRunning())) {
            return Optional.of("replication IO thread is " + replica.ioRunning()
                    + (replica.lastIoError().isEmpty() ? "" : " (" + replica.lastIoError() + ")"));
        }
        if (!"Yes".equals(replica.sqlRunning())) {
            return Optional.of("replication SQL thread is " + replica.sqlRunning()
                    + (replica.lastSqlError().isEmpty() ? "" : " (" + replica.lastSqlError() + ")"));
        }
        if (!replica.gtid()) {
            return Optional.of("replicates by binlog file and position, not by GTID (move it to GTID: " + toGtid(host.flavor()) + ")");
        }
        if (replica.lagSeconds() == null) {
            return Optional.of("cannot tell its lag");
        }
        if (replica.lagSeconds() > maxLag.toSeconds()) {
            return Optional.of("lags " + replica.lagSeconds() + " s behind " + master.host().name()
                    + " (" + setting + " is " + maxLag.toSeconds() + " s)");
        }
        return Optional.empty();
    }

    /** What moves a replica to GTID in place, such as one MHA repointed: MHA 0.58 repoints MariaDB by file and position. */
    private static String toGtid(io.handover.mysql.Flavor flavor) {
        return flavor == io.handover.mysql.Flavor.MARIADB
                ? "STOP SLAVE; CHANGE MASTER TO MASTER_USE_GTID = slave_pos; START SLAVE"
                : "STOP REPLICA; CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION = 1; START REPLICA";
    }

    private static String healthy(HostStatus host, HostStatus master) {
        return "replicates from " + master.host().name() + " by GTID, IO/SQL Yes/Yes, lag " + host.replica().lagSeconds() + " s";
    }

    /**
     * No host may hold transactions the master lacks: a promoted candidate would hand them to every
     * replica, and a repointed replica would carry them into the new topology. Status compared every
     * host with the master (MySQL: GTID_SUBTRACT on the master; MariaDB: per domain).
     */
    static void checkErrantTransactions(List<HostStatus> hosts, HostStatus master, Set<String> excluded, List<Check> checks) {
        boolean compared = false;
        for (HostStatus host : hosts) {
            String name = host.host().name();
            if (host == master || excluded.contains(name) || !host.reachable()) {
                continue;
            }
            compared |= host.errantGtids() != null;
            if (host.hasErrantGtids()) {
                checks.add(Check.fail("errant", TopologyAnalyzer.errantProblem(host, master.host().name())
                        + " (remove them, or give --exclude " + name + " to switch without it)"));
            }
        }
        if (compared && checks.stream().noneMatch(check -> check.subject().equals("errant"))) {
            checks.add(Check.pass("errant", "no host has transactions " + master.host().name() + " lacks"));
        }
    }

    private static void checkTransactions(HostStatus master, Duration maxAge, Facts facts, List<Check> checks) {
        String name = master.host().name();
        if (facts.transactionsError() != null) {
            checks.add(Check.fail("transactions", "cannot list the transactions on " + name + ": " + facts.transactionsError()));
        } else if (!facts.longTransactions().isEmpty()) {
            checks.add(Check.fail("transactions", name + " has " + facts.longTransactions().size()
                    + " transaction(s) open longer than switchover.max-transaction-age (" + maxAge.toSeconds() + " s): "
                    + facts.longTransactions().stream().map(trx -> "session " + trx.thread() + " for " + trx.ageSeconds() + " s")
                            .collect(Collectors.joining(", "))));
        } else {
            checks.add(Check.pass("transactions", "no transaction on " + name + " is open longer than " + maxAge.toSeconds() + " s"));
        }
    }
}
