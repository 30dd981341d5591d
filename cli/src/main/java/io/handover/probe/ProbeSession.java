package io.handover.probe;

import io.handover.api.Deadline;
import io.handover.api.Secret;
import io.handover.flow.FailedException;
import io.handover.flow.NotConfiguredException;
import io.handover.flow.RefusedException;
import io.handover.config.ClientEndpoint;
import io.handover.config.ClusterConfig;
import io.handover.config.ProbeSettings;
import io.handover.journal.JournalEntry;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.HostStatus;
import io.handover.mysql.MysqlConnections;
import io.handover.mysql.TopologyInspector;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** One probe run of one cluster: set up, write, judge, report. */
public final class ProbeSession {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterConfig cluster;
    private final ClientEndpoint endpoint;
    private final ProbeTable table;
    private final Probe probe;
    private final long runId;

    private ProbeSession(ClusterConfig cluster, ClientEndpoint endpoint, ProbeTable table, Probe probe, long runId) {
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.table = table;
        this.probe = probe;
        this.runId = runId;
    }

    /** Creates the table and the probe's account on the master; needs one writable master. */
    public static ProbeSession prepare(ClusterConfig cluster, Consumer<String> events) {
        ProbeSettings settings = settings(cluster);
        ClientEndpoint endpoint = endpoint(cluster);
        ProbeTable table = new ProbeTable(settings);
        // setting up is bounded like any cluster call; the writes then run for the probe's duration
        Deadline deadline = Deadline.after(cluster.deadline());
        ClusterStatus topology = TopologyInspector.inspect(cluster, deadline);
        HostStatus master = master(cluster, topology, "create its table");
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        Secret password = Secret.of(HexFormat.of().formatHex(secret));
        try (Connection connection = MysqlConnections.open(master.host(), cluster.mysql(), deadline)) {
            table.setUp(connection, password);
        } catch (SQLException e) {
            throw new FailedException("cannot create " + table.qualifiedTable() + " or the account "
                    + settings.user() + " on " + master.host() + ": " + MysqlConnections.reason(e), e);
        }
        Map<Long, String> hosts = new HashMap<>();
        topology.hosts().stream().filter(HostStatus::reachable).forEach(host -> hosts.put(host.serverId(), host.host().name()));
        long runId = RANDOM.nextLong() & Long.MAX_VALUE;
        Probe probe = new Probe(endpoint, table, settings.user(), password, cluster.mysql(), hosts, events, runId);
        return new ProbeSession(cluster, endpoint, table, probe, runId);
    }

    /** Drops the probe's table and account. */
    public static String cleanUp(ClusterConfig cluster) {
        ProbeSettings settings = settings(cluster);
        ProbeTable table = new ProbeTable(settings);
        Deadline deadline = Deadline.after(cluster.deadline());
        HostStatus master = master(cluster, TopologyInspector.inspect(cluster, deadline), "drop its table");
        try (Connection connection = MysqlConnections.open(master.host(), cluster.mysql(), deadline)) {
            table.cleanUp(connection);
        } catch (SQLException e) {
            throw new FailedException("cannot drop " + table.qualifiedTable() + " on " + master.host()
                    + ": " + MysqlConnections.reason(e), e);
        }
        return "dropped " + table.qualifiedTable() + " and the account " + settings.user() + " on " + master.host().name();
    }

    public long runId() {
        return runId;
    }

    public ProbeLedger run(Duration duration, Duration interval, AtomicBoolean stop) throws InterruptedException {
        return probe.run(duration, interval, stop);
    }

    /** Checks the final state against the ledger and the fences the journal recorded between start and end. */
    public ProbeVerdict judge(ProbeLedger ledger, List<JournalEntry> journal, Instant start, Instant end) {
        List<FenceWindow> fences = FenceWindow.from(journal, start, end);
        Deadline deadline = Deadline.after(cluster.deadline());
        ClusterStatus topology = TopologyInspector.inspect(cluster, deadline);
        List<HostStatus> writable = topology.hosts().stream().filter(HostStatus::writable).toList();
        if (writable.size() != 1) {
            return ProbeVerdict.uncheckable(writable.size() + " writable hosts at the end", ledger, fences);
        }
        HostStatus master = writable.get(0);
        try (Connection connection = MysqlConnections.open(master.host(), cluster.mysql(), deadline)) {
            return ProbeVerdict.judge(master.host().name(), table.rows(connection, runId), ledger, fences);
        } catch (SQLException e) {
            return ProbeVerdict.uncheckable("cannot read the probe's rows on " + master.host() + ": " + MysqlConnections.reason(e), ledger, fences);
        }
    }

    public void print(ProbeLedger ledger, ProbeVerdict verdict, Duration took, Duration interval, PrintWriter out) {
        out.println("probe of cluster " + cluster.name() + " through " + endpoint.name() + ":" + endpoint.port() + " (DNS "
                + String.join(", ", endpoint.dns().stream().map(Object::toString).toList()) + "), " + took.toMillis()
                + " ms, a write every " + interval.toMillis() + " ms, run " + runId);
        List<ProbeLedger.Attempt> attempts = ledger.attempts();
        int acknowledged = ledger.acknowledged().size();
        out.println("  writes: " + attempts.size() + " attempted, " + acknowledged + " acknowledged, "
                + (attempts.size() - acknowledged) + " failed");
        Map<String, Integer> errors = ledger.errorCounts();
        out.println("  errors: " + (errors.isEmpty() ? "none" : String.join(", ",
                errors.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue()).toList())));
        out.println("  acknowledged by: " + String.join(", ",
                ledger.writesByServer().entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue()).toList()));
        out.println("  longest write outage: " + ledger.longestOutage().map(outage -> outage.millis() + " ms (after the write sent at "
                + Probe.time(outage.startedAt()) + " to " + outage.before() + ", until one taken by " + outage.after() + "; "
                + outage.failures() + " failed attempts in between)").orElse("unknown (fewer than two acknowledged writes)"));
        verdict.print(out);
    }

    private static ProbeSettings settings(ClusterConfig cluster) {
        return cluster.probe().filter(settings -> settings.database() != null).orElseThrow(() -> new NotConfiguredException(
                "cluster " + cluster.name() + " has no probe settings: add handover.clusters." + cluster.name()
                        + ".probe { database = \"...\" } (an existing database the probe may create its table in)"));
    }

    private static ClientEndpoint endpoint(ClusterConfig cluster) {
        return cluster.clientEndpoint().orElseThrow(() -> new NotConfiguredException(
                "cluster " + cluster.name() + " has no client endpoint: add handover.clusters." + cluster.name()
                        + ".client-endpoint { name = \"...\", dns = [\"host:port\"] } (the name clients resolve, and their DNS servers)"));
    }

    private static HostStatus master(ClusterConfig cluster, ClusterStatus topology, String purpose) {
        return topology.master().orElseThrow(() -> new RefusedException("refused: the probe needs exactly one"
                + " writable host to " + purpose + "; cluster " + cluster.name() + " has "
                + topology.hosts().stream().filter(HostStatus::writable).count()));
    }
}
