package io.handover.switchover;

import static io.handover.switchover.Lab.DB1;
import static io.handover.switchover.Lab.DB2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.cli.ExitCode;
import io.handover.config.BackendRegistry;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigLoader;
import io.handover.config.HandoverConfig;
import io.handover.config.RecordingBackendFactory;
import io.handover.flow.StepReporter;
import io.handover.lock.ClusterLocks;
import io.handover.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code handover switchover} (and the probe watching it) against the sandbox's real replication and
 * Consul: MariaDB or Oracle MySQL, whichever the lab runs ({@code sandbox/sandbox up --flavor}).
 */
class SwitchoverIT {

    private static final Map<String, String> HEALTHY_ON_DB2 = Map.of(
            "db1", DB2 + " Yes/Yes gtid", "db2", "-", "db3", DB2 + " Yes/Yes gtid");

    @TempDir
    Path dir;

    private Lab lab;

    @BeforeEach
    void pristineLabWithClientsOnDb1() throws Exception {
        lab = new Lab(dir, "");
        lab.reset();
    }

    @AfterAll
    static void leaveTheLabPristine() {
        Sandbox.run("reset");
    }

    @Test
    void switchoverUnderWritesLosesNoAcknowledgedWriteAndMovesEveryone() throws Exception {
        CompletableFuture<Lab.Run> probe = CompletableFuture.supplyAsync(
                () -> lab.handover("probe", "--cluster", "sandbox", "--duration", "15s", "--interval", "10ms"));
        Thread.sleep(2500);

        Lab.Run switchover = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--yes");
        Lab.Run probed = probe.get(60, TimeUnit.SECONDS);

        assertThat(switchover.exitCode()).as(switchover.toString()).isZero();
        assertThat(switchover.out()).contains("switchover of cluster sandbox done in ", ": db2 is the master; clients could not write for ");
        assertThat(probed.exitCode()).as(probed.toString()).isZero();
        assertThat(probed.out()).as("probe:%n%s%nswitchover:%n%s", probed, switchover)
                .contains("acknowledged by: db1 ", ", db2 ")
                .contains("final master: db2; acknowledged writes on it: ").contains(" (none lost)")
                .contains("fences: db1 at ").contains("writes on a fenced master: none")
                .contains("result: OK");
        assertThat(lab.master()).isEqualTo("db2");
        assertThat(lab.sources()).isEqualTo(HEALTHY_ON_DB2);
        assertThat(lab.handover("status", "--cluster", "sandbox").exitCode()).isZero();
        assertThat(Lab.dnsAnswers()).containsExactly(List.of(DB2), List.of(DB2), List.of(DB2));
        assertThat(switchover.out() + switchover.err()).doesNotContain("repl-secret").doesNotContain("handover-secret");
    }

    @Test
    void stoppedReplicaIsRefusedAndNothingChanges() throws Exception {
        Sandbox.sql("db3", Sandbox.stopReplication());

        assertRefusedWithoutChange("refused: db3 replication IO thread is No (give --exclude db3 to switch without it)"
                + " (cluster sandbox; nothing was changed)");
    }

    @Test
    void laggingCandidateIsRefusedAndNothingChanges() throws Exception {
        Sandbox.sql("db2", Sandbox.delayReplication(120));
        Sandbox.sql("db1", "CREATE TABLE handover_probe.lagging (id INT PRIMARY KEY); INSERT INTO handover_probe.lagging VALUES (1)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lagOf("db2") <= 5) {
            assertThat(System.nanoTime()).as("db2 never lagged more than 5 s").isLessThan(deadline);
            Thread.sleep(500);
        }

        JsonNode before = lab.state();
        Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).matches("handover: refused: db2 lags \\d+ s behind db1 \\(switchover.max-candidate-lag is 5 s\\)"
                + " \\(cluster sandbox; nothing was changed\\)\n");
        assertThat(lab.state()).isEqualTo(before);
    }

    @Test
    void twoWritableMastersAreRefusedAndNothingChanges() throws Exception {
        Sandbox.sql("db3", Sandbox.makeWritable());

        assertRefusedWithoutChange("refused: 2 hosts are writable: db1, db3 (cluster sandbox; nothing was changed)");
    }

    @Test
    void errantTransactionOnTheCandidateIsRefusedNamingItAndNothingChanges() throws Exception {
        // A write straight to db2 (read_only off for a moment) that db1, the master, never had.
        Sandbox.sql("db2", Sandbox.makeWritable() + "; CREATE TABLE handover_probe.errant (id INT PRIMARY KEY);"
                + " SET GLOBAL read_only = 1");
        String errant = Sandbox.mysql() ? Sandbox.ownGtidPrefix("db2") + "1" : "0-2-1";
        if (Sandbox.mysql()) {
            // What the server itself says db2 has and db1 lacks.
            assertThat(Sandbox.sql("db1", "SELECT GTID_SUBTRACT('" + Sandbox.executedGtids("db2") + "', @@GLOBAL.gtid_executed)"))
                    .isEqualTo(errant);
        }

        assertRefusedWithoutChange("refused: db2 has transactions db1 lacks (errant GTIDs " + errant + "): promoted, it would"
                + " hand them to every replica (remove them, or give --exclude db2 to switch without it)"
                + " (cluster sandbox; nothing was changed)");
    }

    @Test
    void errantTransactionOnAReplicaRefusesASwitchToAnotherCandidateToo() throws Exception {
        Sandbox.sql("db3", Sandbox.makeWritable() + "; CREATE DATABASE errant; SET GLOBAL read_only = 1");
        String errant = Sandbox.mysql() ? Sandbox.ownGtidPrefix("db3") + "1" : "0-3-1";
        JsonNode before = lab.state();

        Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).contains("db3 has transactions db1 lacks (errant GTIDs " + errant + ")");
        assertThat(lab.state()).isEqualTo(before);
    }

    @Test
    void oldMasterRestartedAfterASwitchoverComesBackReadOnly() throws Exception {
        assumeTrue(Sandbox.mysql(), "MySQL only: its fence is persisted (SET PERSIST); MariaDB's restart follows its my.cnf");
        Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--yes");
        assertThat(run.exitCode()).as(run.toString()).isZero();

        Sandbox.run("db-kill", "db1");
        Sandbox.run("db-start", "db1");

        assertThat(Sandbox.sql("db1", "SELECT @@read_only, @@super_read_only")).isEqualTo("1\t1");
        assertThat(Sandbox.sql("db2", "SELECT @@read_only, @@super_read_only")).isEqualTo("0\t0");
        assertThat(lab.master()).isEqualTo("db2");
        // Healthy again once db1's replication has reconnected to db2 (it restarts with the server).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Lab.Run status = lab.handover("status", "--cluster", "sandbox");
        while (status.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = lab.handover("status", "--cluster", "sandbox");
        }
        assertThat(status.exitCode()).as(status.toString()).isZero();
    }

    @Test
    void heldLockIsRefusedNamingItsHolderAndNothingChanges() throws Exception {
        HandoverConfig config = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(lab.config);
        try (ClusterLock.Lease lease = ClusterLocks.acquire(ClusterLocks.of(config, config.cluster("sandbox").orElseThrow()), "sandbox",
                "handover switchover --cluster sandbox (another operator)", Deadline.after(Duration.ofSeconds(10)), Duration.ZERO, null)) {
            JsonNode before = lab.state();
            Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--yes");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.REFUSED);
            assertThat(run.err()).startsWith("handover: refused: the failover lock of cluster sandbox is held by "
                    + ClusterLocks.owner("handover switchover --cluster sandbox (another operator)") + " since ");
            assertThat(lab.state()).isEqualTo(before);
        }
    }

    @Test
    void candidateKilledDuringCatchUpIsRolledBackToTheOldMaster() throws Exception {
        // db2 holds back what db1 writes: the catch-up has to wait, and db2 dies while it does.
        Sandbox.sql("db2", Sandbox.delayReplication(120));
        Sandbox.sql("db1", "CREATE TABLE handover_probe.delayed (id INT PRIMARY KEY); INSERT INTO handover_probe.delayed VALUES (1)");

        CompletableFuture<Lab.Run> switchover = CompletableFuture.supplyAsync(
                () -> lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--yes"));
        Thread.sleep(3000);
        Sandbox.run("db-kill", "db2");
        Lab.Run run = switchover.get(60, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err()).contains("handover [sandbox] waiting for db2 to apply up to " + Sandbox.ownGtidPrefix("db1"))
                .contains("handover: switchover of cluster sandbox failed at catch-up db2: ")
                .contains("; rolled back: db1 takes writes again (clients were never sent elsewhere)");
        assertThat(run.out()).contains("handover [sandbox] unfence db1 ok in ");
        assertThat(lab.master()).isEqualTo("db1");
        assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("0");
        assertThat(lab.sources()).containsEntry("db3", DB1 + " Yes/Yes gtid");
        assertThat(Lab.dnsAnswers()).containsExactly(List.of(DB1), List.of(DB1), List.of(DB1));
    }

    @Test
    void lostLockStopsTheSwitchoverBeforePromotionAndRollsBack() throws Exception {
        Switchover switchover = switchoverOf(lab.config);
        switchover.guardedBy(() -> false);

        assertRolledBackBeforePromotion(switchover, Deadline.after(Duration.ofSeconds(30)),
                "the failover lock of cluster sandbox was lost");
    }

    @Test
    void tooLittleTimeLeftForTheRedirectStopsTheSwitchoverBeforePromotion() throws Exception {
        Switchover switchover = switchoverOf(lab.config);

        // Less than the 5 s kept for redirecting clients once the candidate is promoted.
        assertRolledBackBeforePromotion(switchover, Deadline.after(Duration.ofSeconds(4)),
                "of switchover.deadline are left, less than the 5 s kept for redirecting clients after the promotion");
    }

    private static Switchover switchoverOf(Path config) throws Exception {
        ClusterConfig cluster = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(config).cluster("sandbox").orElseThrow();
        StepReporter reporter = new StepReporter("switchover", "sandbox", null,
                new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
        return new Switchover(cluster, reporter, progress -> { }, new Timeline());
    }

    private void assertRolledBackBeforePromotion(Switchover switchover, Deadline deadline, String reason) throws Exception {
        ClusterConfig cluster = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(lab.config).cluster("sandbox").orElseThrow();
        Plan plan = Planner.plan(cluster, "db2", Set.of(), FactGatherer.gather(cluster, Deadline.after(Duration.ofSeconds(20))));
        assertThat(plan.refused()).as(plan.refusal()).isFalse();

        assertThatThrownBy(() -> switchover.run(plan, deadline))
                .isInstanceOfSatisfying(SwitchoverFailure.class, failure -> assertThat(failure.promoted()).isFalse())
                .hasMessageContaining(reason);
        assertThat(lab.master()).isEqualTo("db1");
        assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("0");
        assertThat(Sandbox.sql("db2", "SELECT @@read_only")).isEqualTo("1");
        assertThat(Lab.dnsAnswers()).containsExactly(List.of(DB1), List.of(DB1), List.of(DB1));
    }

    @Test
    void switchingBackAndForthFiveTimesSucceedsEveryTime() throws Exception {
        String[] targets = {"db2", "db1", "db2", "db1", "db2"};
        for (String target : targets) {
            Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--to", target, "--yes");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(lab.master()).isEqualTo(target);
            String address = Sandbox.address(target);
            assertThat(lab.sources()).as("after the switch to " + target).allSatisfy((host, source) ->
                    assertThat(source).isEqualTo(host.equals(target) ? "-" : address + " Yes/Yes gtid"));
            assertThat(Lab.dnsAnswers()).containsOnly(List.of(address));
        }
    }

    @Test
    void dryRunPrintsChecksAndStepsAndChangesNothing() throws Exception {
        HandoverConfig config = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(lab.config);
        String lock = ClusterLocks.of(config, config.cluster("sandbox").orElseThrow()).description();
        JsonNode before = lab.state();

        Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("switchover of cluster sandbox: db1 -> db2\nchecks:\n")
                .contains("  ok       master       db1 (" + DB1 + ":3306) is the only writable host\n")
                .contains("  ok       replica      db3 replicates from db1 by GTID, IO/SQL Yes/Yes, lag 0 s\n")
                .contains("  ok       redirect     consul service sandbox-master sends clients to db1 (" + DB1 + ":3306)\n")
                .contains("  ok       errant       no host has transactions db1 lacks\n")
                .contains("  ok       lock         free (" + lock + ")\n")
                .contains(Sandbox.mysql()
                        ? "  1. fence db1: SET PERSIST read_only = ON, SET PERSIST super_read_only = ON, wait up to "
                        : "  1. fence db1: SET GLOBAL read_only = ON, wait up to ")
                .contains(Sandbox.mysql()
                        ? "  3. promote db2: STOP REPLICA; RESET REPLICA ALL; SET PERSIST super_read_only = OFF;"
                                + " SET PERSIST read_only = OFF\n"
                        : "  3. promote db2: STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = OFF\n")
                .contains(Sandbox.mysql()
                        ? "  6. repoint db1: STOP REPLICA; CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + DB2 + "', SOURCE_PORT = 3306,"
                                + " SOURCE_USER = 'repl', SOURCE_PASSWORD = '[REDACTED]', SOURCE_AUTO_POSITION = 1,"
                                + " SOURCE_CONNECT_RETRY = 1, GET_SOURCE_PUBLIC_KEY = 1; START REPLICA\n"
                        : "  6. repoint db1: STOP SLAVE; SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos; CHANGE MASTER TO"
                                + " MASTER_HOST = '" + DB2 + "', MASTER_PORT = 3306, MASTER_USER = 'repl', MASTER_PASSWORD = '[REDACTED]',"
                                + " MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1; START SLAVE\n")
                .endsWith("dry run: nothing was changed\n")
                .doesNotContain("repl-secret");
        assertThat(lab.state()).isEqualTo(before);
    }

    @Test
    void excludedBrokenReplicaIsLeftAlone() throws Exception {
        Sandbox.sql("db3", Sandbox.stopReplication());

        Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--exclude", "db3", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(lab.sources()).containsEntry("db1", DB2 + " Yes/Yes gtid").containsEntry("db3", DB1 + " No/No gtid");
    }

    @Test
    void failureAfterPromotionIsNotRolledBackAndTheFinishCommandCompletesIt() throws Exception {
        // A redirect that fails after the promotion: a recording backend told to fail (Consul is tested above).
        lab = new Lab(dir, "redirect = [ { backend = recording, label = it, fail-on = ${?FAIL_ON} } ]").withLockBackend("consul");
        RecordingBackendFactory.reset();
        RecordingBackendFactory.TARGETS.put("it", new ArrayList<>(List.of(DB1)));

        Lab.Run failed = lab.handover(Map.of("FAIL_ON", "activate"), "switchover", "--cluster", "sandbox", "--to", "db2", "--yes");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.err()).isEqualTo("handover: cluster sandbox: db2 is the master now, but redirecting clients to db2"
                + " failed; nothing was rolled back; to finish the switchover run: handover switchover --config " + lab.config
                + " --cluster sandbox --to db2 --finish\n");
        assertThat(failed.out()).contains("state of cluster sandbox now:\n")
                .containsPattern("db2 +" + DB2 + ":3306 +writable master")
                .contains("redirect recording it -> db1 (" + DB1 + ":3306)");
        assertThat(lab.master()).isEqualTo("db2");
        assertThat(lab.sources()).isEqualTo(HEALTHY_ON_DB2);

        Lab.Run finished = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--finish");

        assertThat(finished.exitCode()).as(finished.toString()).isZero();
        assertThat(finished.out()).contains("switchover of cluster sandbox finished in ");
        assertThat(RecordingBackendFactory.TARGETS.get("it")).containsExactly(DB2);
    }

    @Test
    void finishRepointsWhatIsNotYetReplicatingFromTheNewMaster() throws Exception {
        // As if a switchover had stopped right after promoting db2: db1 fenced, db3 still on db1.
        Sandbox.sql("db1", "SET GLOBAL read_only = 1");
        Sandbox.sql("db2", Sandbox.forgetReplication() + "; " + Sandbox.makeWritable());

        Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--finish");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("handover [sandbox] repoint db1 ok in ", "handover [sandbox] repoint db3 ok in ");
        assertThat(lab.sources()).isEqualTo(HEALTHY_ON_DB2);
        assertThat(Lab.dnsAnswers()).containsOnly(List.of(DB2));
    }

    private void assertRefusedWithoutChange(String refusal) throws Exception {
        JsonNode before = lab.state();

        Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--yes");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).isEqualTo("handover: " + refusal + "\n");
        assertThat(lab.state()).isEqualTo(before);
    }

    private long lagOf(String host) throws Exception {
        for (JsonNode status : new ObjectMapper()
                .readTree(lab.handover("status", "--json", "--cluster", "sandbox").out()).get("clusters").get(0).get("hosts")) {
            if (status.get("name").asText().equals(host)) {
                return status.get("replication").get("lagSeconds").asLong();
            }
        }
        throw new AssertionError("no host " + host);
    }
}
