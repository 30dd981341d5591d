package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real MHA manager fails over the sandbox with both hooks set to the packaged {@code handover};
 * clients follow through Consul DNS.
 */
class MhaEndToEndIT {

    private static final String SERVICE = "sandbox-master.service.consul";

    private final Path config = Sandbox.config();
    private final Path journal = LabClients.journal();
    private final Map<String, String> hooks = LabClients.hooks(config);

    @BeforeEach
    void pristineLabWithClientsOnDb1() throws Exception {
        LabClients.pristineAndRegistered(config);
        assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(Sandbox.address("db1")));
    }

    @AfterEach
    void stopTheManagerAndRestoreTheLab() {
        Sandbox.run("consul-restore");
        MhaFailover.stopManagerAndReset();
    }

    @Test
    void deadMasterFailoverSendsEveryClientToTheNewMaster() throws Exception {
        Sandbox.sql("db1", "CREATE TABLE handover_probe.e2e (id BIGINT PRIMARY KEY)");
        try (DnsWriter writer = new DnsWriter(ConsulDns.LAB_SERVERS.get(0), SERVICE)) {
            long killedAt = MhaFailover.killMaster(hooks, () -> writer.awaitAcks(20));

            String newMaster = MhaFailover.completedOn(config);
            assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(Sandbox.address(newMaster)));

            List<String> steps = JournalSteps.of(journal);
            assertThat(steps).containsSubsequence(
                    "mha-hook status status ok", "mha-hook stopssh lock ok", "mha-hook stopssh release db1 ok",
                    "mha-hook start lock ok",
                    "mha-hook start activate " + newMaster + " ok", "mha-hook start verify " + newMaster + " ok");
            // MHA passes the same orig master to both calls: one run in the journal
            assertThat(JournalSteps.runs(journal, "mha-hook stopssh")).hasSize(1).doesNotContainNull()
                    .isEqualTo(JournalSteps.runs(journal, "mha-hook start"));

            // Scenario 4: an application writing through the DNS name carries on on the new master.
            writer.awaitAcks(writer.acks().size() + 20);
            List<DnsWriter.Ack> acks = writer.acks();
            assertThat(acks).filteredOn(ack -> ack.atNanos() > killedAt).isNotEmpty()
                    .allSatisfy(ack -> assertThat(ack.address()).isEqualTo(Sandbox.address(newMaster)));
            long rowsOnNewMaster = Long.parseLong(Sandbox.sql(newMaster, "SELECT COUNT(*) FROM handover_probe.e2e"));
            long highestAck = acks.get(acks.size() - 1).id();
            assertThat(rowsOnNewMaster).as("every acknowledged write is on the new master").isGreaterThanOrEqualTo(acks.size());
            assertThat(Long.parseLong(Sandbox.sql(newMaster, "SELECT COUNT(*) FROM handover_probe.e2e WHERE id IN ("
                    + String.join(",", acks.stream().map(ack -> String.valueOf(ack.id())).toList()) + ")")))
                    .isEqualTo(acks.size());
            assertThat(highestAck).isGreaterThan(20);
        }
    }

    @Test
    void onlineSwitchFencesTheOldMasterAndMovesClients() throws Exception {
        try (Connection idleSession = LabClients.connect(Sandbox.address("db1"))) {
            Sandbox.run(hooks, "mha-switch");

            assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(Sandbox.address("db2")));
            assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("1");
            assertThat(Sandbox.sql("db2", "SELECT @@read_only")).isEqualTo("0");
            assertThatSessionWasKilled(idleSession);
        }
        assertThat(JournalSteps.of(journal)).containsSubsequence(
                "mha-online-change stop fence db1 ok", "mha-online-change stop release db1 ok",
                "mha-online-change start activate db2 ok", "mha-online-change start verify db2 ok");
        assertThat(JournalSteps.runs(journal, "mha-online-change stop")).hasSize(1).doesNotContainNull()
                .isEqualTo(JournalSteps.runs(journal, "mha-online-change start"));
    }

    @Test
    void unreachableConsulMakesTheHookFailInTimeAndARerunCompletesTheRedirect() throws Exception {
        MhaFailover.killMaster(hooks, () -> Sandbox.run("consul-isolate"));

        // MHA aborted at the stop hook: nothing was promoted, and the journal says why.
        assertThat(MhaFailover.log()).doesNotContain("completed successfully");
        assertThat(Sandbox.sql("db2", "SELECT @@read_only")).isEqualTo("1");
        // The stop hook's first step, taking the failover lock in Consul, is the one that fails.
        assertThat(JournalSteps.of(journal)).contains("mha-hook stopssh lock failed");
        assertThat(Files.readString(journal)).contains("cannot take the failover lock of cluster sandbox");

        // The hook on its own, with MHA's exact start arguments: exit 1 within the 15 s deadline.
        String[] start = {"mha-hook", "--config=" + config, "--command=start", "--ssh_user=root",
            "--orig_master_host=" + Sandbox.address("db1"), "--orig_master_ip=" + Sandbox.address("db1"),
            "--orig_master_port=3306", "--new_master_host=" + Sandbox.address("db2"),
            "--new_master_ip=" + Sandbox.address("db2"), "--new_master_port=3306", "--new_master_user=mha",
            "--ssh_options=-F " + Sandbox.dir().resolve("ssh/config"), "--new_master_password=mha-secret"};
        Installed.Run failed = Installed.handover(Map.of(), start);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.elapsed()).isLessThan(Duration.ofSeconds(25));
        assertThat(failed.stdout() + failed.stderr()).doesNotContain("mha-secret");

        Sandbox.run("consul-restore");
        Installed.Run rerun = Installed.handover(Map.of(), start);
        assertThat(rerun.exitCode()).as(rerun.stdout() + rerun.stderr()).isZero();
        assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(Sandbox.address("db2")));
        assertThat(Files.readString(journal)).doesNotContain("mha-secret");
    }

    private static void assertThatSessionWasKilled(Connection session) {
        try (var statement = session.createStatement()) {
            statement.executeQuery("SELECT 1");
            throw new AssertionError("the old master's client session survived the fence");
        } catch (SQLException expected) {
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }
}
