package io.handover.switchover;

import io.handover.api.Targets;
import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Cluster;
import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.ClusterConfig;
import io.handover.config.MysqlSettings;
import io.handover.config.SwitchoverSettings;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.Flavor;
import io.handover.mysql.HostStatus;
import io.handover.mysql.ReplicaStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    private static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    private static final Host DB3 = new Host("db3", "198.51.100.13", 3306, true);
    private static final String MARIADB = "10.11.11-MariaDB-log";
    private static final String NOTHING_CHANGED = " (cluster main; nothing was changed)";

    private static ClusterConfig config(Host... hosts) {
        return new ClusterConfig(new Cluster("main", List.of(hosts)),
                new MysqlSettings("handover", Secret.of("x"), Duration.ofSeconds(2), Duration.ofSeconds(5), "PREFERRED"),
                Duration.ofSeconds(30), List.of(), Duration.ofSeconds(30), false, Duration.ofSeconds(2),
                Optional.empty(), SwitchoverSettings.DEFAULTS, Optional.empty(), Optional.empty());
    }

    private static final ClusterConfig CONFIG = config(DB1, DB2, DB3);

    private static HostStatus master(Host host) {
        return new HostStatus(host, null, Flavor.MARIADB, MARIADB, 1, false, null, "0-1-10", null, Duration.ZERO);
    }

    private static HostStatus replica(Host host, Host source, String io, String sql, Long lag, boolean gtid) {
        return new HostStatus(host, null, Flavor.MARIADB, MARIADB, 2, true, null, "0-1-10",
                new ReplicaStatus(source.address(), source.port(), io, sql, lag, "", "", gtid), Duration.ZERO);
    }

    private static HostStatus replica(Host host, long lag) {
        return replica(host, DB1, "Yes", "Yes", lag, true);
    }

    private static Facts facts(HostStatus... hosts) {
        return new Facts(new ClusterStatus("main", List.of(hosts), List.of()), List.of(), null,
                List.of(new Facts.BackendState("consul service main-master", new Targets(List.of(DB1), List.of()), null)));
    }

    private static Plan plan(String to, Set<String> excluded, Facts facts) {
        return Planner.plan(CONFIG, to, excluded, facts);
    }

    @Test
    void healthyClusterPicksTheReplicaWithTheLeastLagAndRepointsTheOther() {
        Plan plan = plan(null, Set.of(), facts(master(DB1), replica(DB2, 1), replica(DB3, 0)));

        assertThat(plan.refused()).isFalse();
        assertThat(plan.master().host()).isEqualTo(DB1);
        assertThat(plan.candidate().host()).isEqualTo(DB3);
        assertThat(plan.replicas()).extracting(HostStatus::host).containsExactly(DB2);
        assertThat(plan.checks()).extracting(Check::line).containsExactly(
                "  ok       master       db1 (198.51.100.11:3306) is the only writable host",
                "  ok       candidate    db3 replicates from db1 by GTID, IO/SQL Yes/Yes, lag 0 s (max 1 s), the least lag of 2 eligible",
                "  ok       replica      db2 replicates from db1 by GTID, IO/SQL Yes/Yes, lag 1 s",
                "  ok       transactions no transaction on db1 is open longer than 5 s",
                "  ok       redirect     consul service main-master sends clients to db1 (198.51.100.11:3306)");
    }

    @Test
    void equalLagPicksTheFirstInConfigurationOrder() {
        Plan plan = plan(null, Set.of(), facts(master(DB1), replica(DB2, 0), replica(DB3, 0)));

        assertThat(plan.candidate().host()).isEqualTo(DB2);
    }

    @Test
    void requestedCandidateIsUsedWhenEligible() {
        Plan plan = plan("db3", Set.of(), facts(master(DB1), replica(DB2, 0), replica(DB3, 1)));

        assertThat(plan.refused()).isFalse();
        assertThat(plan.candidate().host()).isEqualTo(DB3);
        assertThat(plan.replicas()).extracting(HostStatus::host).containsExactly(DB2);
    }

    @Test
    void stoppedReplicaRefusesUnlessExcluded() {
        Facts facts = facts(master(DB1), replica(DB2, 0), replica(DB3, DB1, "Yes", "No", null, true));

        assertThat(plan("db2", Set.of(), facts).refusal()).isEqualTo("refused: db3 replication SQL thread is No"
                + " (give --exclude db3 to switch without it)" + NOTHING_CHANGED);

        Plan excluded = plan("db2", Set.of("db3"), facts);
        assertThat(excluded.refused()).isFalse();
        assertThat(excluded.replicas()).isEmpty();
        assertThat(excluded.checks()).extracting(Check::line).contains("  ok       excluded     db3 is left as it is");
    }

    @Test
    void laggingCandidateIsRefused() {
        Plan plan = plan("db2", Set.of(), facts(master(DB1), replica(DB2, 3), replica(DB3, 0)));

        assertThat(plan.refusal()).isEqualTo("refused: db2 lags 3 s behind db1 (switchover.max-candidate-lag is 1 s)" + NOTHING_CHANGED);
    }

    @Test
    void whenNoReplicaIsEligibleEachOneSaysWhy() {
        Plan plan = plan(null, Set.of(), facts(master(DB1), replica(DB2, 3), replica(DB3, DB1, "Connecting", "Yes", null, true)));

        assertThat(plan.refusal()).isEqualTo("refused: no replica can become master: db2 lags 3 s behind db1"
                + " (switchover.max-candidate-lag is 1 s); db3 replication IO thread is Connecting" + NOTHING_CHANGED);
    }

    @Test
    void twoWritableHostsAreRefused() {
        HostStatus writableReplica = new HostStatus(DB3, null, Flavor.MARIADB, MARIADB, 3, false, null, "",
                new ReplicaStatus(DB1.address(), 3306, "Yes", "Yes", 0L, "", "", true), Duration.ZERO);

        Plan plan = plan(null, Set.of(), facts(master(DB1), replica(DB2, 0), writableReplica));

        assertThat(plan.refusal()).isEqualTo("refused: 2 hosts are writable: db1, db3" + NOTHING_CHANGED);
        assertThat(plan.master()).isNull();
    }

    @Test
    void unreachableHostIsRefusedUnlessExcluded() {
        HostStatus dead = HostStatus.unreachable(DB3, "Communications link failure", Duration.ZERO);

        assertThat(plan("db2", Set.of(), facts(master(DB1), replica(DB2, 0), dead)).refusal())
                .isEqualTo("refused: db3 is unreachable: Communications link failure (give --exclude db3 to switch without it)"
                        + NOTHING_CHANGED);
        assertThat(plan("db2", Set.of("db3"), facts(master(DB1), replica(DB2, 0), dead)).refused()).isFalse();
    }

    @Test
    void replicationByFileAndPositionIsRefused() {
        Plan plan = plan("db2", Set.of(), facts(master(DB1), replica(DB2, DB1, "Yes", "Yes", 0L, false), replica(DB3, 0)));

        assertThat(plan.refusal()).isEqualTo("refused: db2 replicates by binlog file and position, not by GTID"
                + " (move it to GTID: STOP SLAVE; CHANGE MASTER TO MASTER_USE_GTID = slave_pos; START SLAVE)" + NOTHING_CHANGED);
    }

    @Test
    void replicaOfAnotherReplicaIsRefused() {
        Plan plan = plan("db2", Set.of(), facts(master(DB1), replica(DB2, 0), replica(DB3, DB2, "Yes", "Yes", 0L, true)));

        assertThat(plan.refusal()).isEqualTo("refused: db3 replicates from 198.51.100.12:3306, not from the master db1"
                + " (give --exclude db3 to switch without it)" + NOTHING_CHANGED);
    }

    @Test
    void hostsThatMayNotBecomeMasterAreSkippedOrRefused() {
        ClusterConfig config = config(DB1, new Host("db2", DB2.address(), 3306, false), DB3);
        Facts facts = facts(master(DB1), replica(new Host("db2", DB2.address(), 3306, false), 0), replica(DB3, 1));

        assertThat(Planner.plan(config, null, Set.of(), facts).candidate().host()).isEqualTo(DB3);
        assertThat(Planner.plan(config, "db2", Set.of(), facts).refusal())
                .isEqualTo("refused: db2 has candidate = false in the configuration" + NOTHING_CHANGED);
    }

    @Test
    void theMasterCannotBeTheCandidate() {
        assertThat(plan("db1", Set.of(), facts(master(DB1), replica(DB2, 0), replica(DB3, 0))).refusal())
                .isEqualTo("refused: db1 is already the master" + NOTHING_CHANGED);
    }

    @Test
    void aPrintedPlanWithoutACandidateOrMasterTitlesTheRefusalNotAnUnknownTarget() {
        HostStatus writableReplica = new HostStatus(DB3, null, Flavor.MARIADB, MARIADB, 3, false, null, "",
                new ReplicaStatus(DB1.address(), 3306, "Yes", "Yes", 0L, "", "", true), Duration.ZERO);

        assertThat(printed(plan("db1", Set.of(), facts(master(DB1), replica(DB2, 0), replica(DB3, 0)))))
                .startsWith("switchover of cluster main: refused, db1 stays the master: db1 is already the master\nchecks:\n");
        assertThat(printed(plan(null, Set.of(), facts(master(DB1), replica(DB2, 0), writableReplica))))
                .startsWith("switchover of cluster main: refused, no master to switch from: 2 hosts are writable: db1, db3\nchecks:\n");
        assertThat(PlanPrinter.title(plan("db2", Set.of(), facts(master(DB1), replica(DB2, 0), replica(DB3, 0)))))
                .isEqualTo("switchover of cluster main: db1 -> db2");
    }

    private static String printed(Plan plan) {
        StringWriter out = new StringWriter();
        PlanPrinter.print(CONFIG, plan, new PrintWriter(out));
        return out.toString();
    }

    @Test
    void longTransactionsAndUnreadableBackendsAreRefusedTogether() {
        Facts facts = new Facts(new ClusterStatus("main", List.of(master(DB1), replica(DB2, 0), replica(DB3, 0)), List.of()),
                List.of(new Facts.LongTransaction(42, 12), new Facts.LongTransaction(43, 7)), null,
                List.of(new Facts.BackendState("consul service main-master", Targets.NONE, "connection refused")));

        assertThat(plan("db2", Set.of(), facts).refusal()).isEqualTo("refused: db1 has 2 transaction(s) open longer than"
                + " switchover.max-transaction-age (5 s): session 42 for 12 s, session 43 for 7 s;"
                + " consul service main-master cannot be read: connection refused" + NOTHING_CHANGED);
    }

    @Test
    void candidateThatDoesNotLogWhatItReplicatesIsRefused() {
        HostStatus noLogSlaveUpdates = new HostStatus(DB2, null, Flavor.MARIADB, MARIADB, 2, true, null, "0-1-10",
                new ReplicaStatus(DB1.address(), DB1.port(), "Yes", "Yes", 0L, "", "", true), Duration.ZERO,
                "does not log what it replicates (log_slave_updates is OFF)");
        Facts facts = facts(master(DB1), noLogSlaveUpdates, replica(DB3, 0));

        assertThat(plan("db2", Set.of(), facts).refusal()).isEqualTo("refused: db2 does not log what it replicates"
                + " (log_slave_updates is OFF): the other hosts could not replicate from it by GTID" + NOTHING_CHANGED);
    }

    @Test
    void serversOlderThanSupportedAreRefused() {
        HostStatus oldMariaDb = new HostStatus(DB3, null, Flavor.MARIADB, "10.5.9-MariaDB-log", 3, true, null, "0-1-10",
                new ReplicaStatus(DB1.address(), DB1.port(), "Yes", "Yes", 0L, "", "", true), Duration.ZERO);

        assertThat(plan("db2", Set.of(), facts(master(DB1), replica(DB2, 0), oldMariaDb)).refusal())
                .isEqualTo("refused: db3 runs MariaDB 10.5.9-MariaDB-log; switchover needs MariaDB 10.6 or later,"
                        + " or MySQL 8.0 or later" + NOTHING_CHANGED);
        assertThat(plan("db2", Set.of("db3"), facts(master(DB1), replica(DB2, 0), oldMariaDb)).refused()).isFalse();
    }

    @Test
    void mixedServerFamiliesAreRefused() {
        HostStatus mysql = new HostStatus(DB3, null, Flavor.MYSQL, "8.4.3", 3, true, true, "",
                new ReplicaStatus(DB1.address(), 3306, "Yes", "Yes", 0L, "", "", true), Duration.ZERO);

        assertThat(plan("db2", Set.of(), facts(master(DB1), replica(DB2, 0), mysql)).refusal())
                .isEqualTo("refused: the hosts mix MariaDB and MySQL: their GTIDs are incompatible" + NOTHING_CHANGED);
    }

    @Test
    void plansWithTheSameRolesAreRecognised() {
        Plan first = plan(null, Set.of(), facts(master(DB1), replica(DB2, 0), replica(DB3, 1)));
        Plan same = plan(null, Set.of(), facts(master(DB1), replica(DB2, 1), replica(DB3, 1)));
        Plan other = plan(null, Set.of(), facts(master(DB1), replica(DB2, 1), replica(DB3, 0)));

        assertThat(first.sameRoles(same)).isTrue();
        assertThat(first.sameRoles(other)).isFalse();
    }
}
