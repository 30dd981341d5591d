package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
    private final Path journal = Sandbox.dir().resolve("journal/sandbox.jsonl");
    private final Map<String, String> hooks = LabClients.hooks(config);

    @BeforeEach
    void pristineLabWithClientsOnDb1() throws Exception {
        LabClients.pristineAndRegistered(config, journal);
        assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(Sandbox.address("db1")));
        Files.deleteIfExists(journal);
    }

    @AfterEach
    void stopTheManagerAndRestoreTheLab() {
        Sandbox.run("mha-manager", "stop");
        Sandbox.run("consul-restore");
        Sandbox.run("reset");
    }

    @Test
    void deadMasterFailoverSendsEveryClientToTheNewMaster() throws Exception {
        Sandbox.sql("db1", "CREATE TABLE handover_probe.e2e (id BIGINT PRIMARY KEY)");
        Sandbox.run(hooks, "mha-manager", "start");
        try (DnsWriter writer = new DnsWriter(ConsulDns.LAB_SERVERS.get(0), SERVICE, "handover", "handover-secret")) {
            writer.awaitAcks(20);
            Sandbox.run("db-kill", "db1");
            long killedAt = System.nanoTime();
            JournalSteps.awaitManagerExit(Duration.ofSeconds(90));

            String newMaster = masterAddress();
            assertThat(newMaster).isIn(Sandbox.address("db2"), Sandbox.address("db3"));
            assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(newMaster));
            assertThat(Files.readString(Sandbox.dir().resolve("mha/manager.log"))).contains("completed successfully");

            List<String> steps = JournalSteps.of(journal);
            assertThat(steps).containsSubsequence(
                    "mha-hook status status ok", "mha-hook stopssh lock ok", "mha-hook stopssh release db1 ok",
                    "mha-hook start lock ok",
                    "mha-hook start activate " + hostName(newMaster) + " ok", "mha-hook start verify " + hostName(newMaster) + " ok");
            // MHA passes the same orig master to both calls: one run in the journal
            assertThat(JournalSteps.runs(journal, "mha-hook stopssh")).hasSize(1).doesNotContainNull()
                    .isEqualTo(JournalSteps.runs(journal, "mha-hook start"));

            // Scenario 4: an application writing through the DNS name carries on on the new master.
            writer.awaitAcks(writer.acks().size() + 20);
            List<DnsWriter.Ack> acks = writer.acks();
            assertThat(acks).filteredOn(ack -> ack.atNanos() > killedAt).isNotEmpty()
                    .allSatisfy(ack -> assertThat(ack.address()).isEqualTo(newMaster));
            long rowsOnNewMaster = Long.parseLong(sqlOn(newMaster, "SELECT COUNT(*) FROM handover_probe.e2e"));
            long highestAck = acks.get(acks.size() - 1).id();
            assertThat(rowsOnNewMaster).as("every acknowledged write is on the new master").isGreaterThanOrEqualTo(acks.size());
            assertThat(Long.parseLong(sqlOn(newMaster, "SELECT COUNT(*) FROM handover_probe.e2e WHERE id IN ("
                    + String.join(",", acks.stream().map(ack -> String.valueOf(ack.id())).toList()) + ")")))
                    .isEqualTo(acks.size());
            assertThat(highestAck).isGreaterThan(20);
        }
    }

    @Test
    void onlineSwitchFencesTheOldMasterAndMovesClients() throws Exception {
        try (Connection idleSession = connect(Sandbox.address("db1"))) {
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
        Sandbox.run(hooks, "mha-manager", "start");
        Sandbox.run("consul-isolate");
        Sandbox.run("db-kill", "db1");
        JournalSteps.awaitManagerExit(Duration.ofSeconds(90));

        // MHA aborted at the stop hook: nothing was promoted, and the journal says why.
        assertThat(Files.readString(Sandbox.dir().resolve("mha/manager.log"))).doesNotContain("completed successfully");
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

    private Installed.Run handover(String... args) {
        return Installed.handover(Map.of("HANDOVER_CONFIG", config.toString()), args);
    }


    private String masterAddress() throws Exception {
        Installed.Run status = handover("status", "--json");
        JsonNode cluster = new ObjectMapper().readTree(status.stdout()).get("clusters").get(0);
        for (JsonNode host : cluster.get("hosts")) {
            if (host.get("writable").asBoolean()) {
                return host.get("address").asText();
            }
        }
        throw new AssertionError("no writable master after the failover:\n" + status.stdout());
    }

    private static String hostName(String address) {
        return address.equals(Sandbox.address("db2")) ? "db2" : "db3";
    }




    private static String sqlOn(String address, String query) {
        String host = address.equals(Sandbox.address("db2")) ? "db2" : address.equals(Sandbox.address("db3")) ? "db3" : "db1";
        return Sandbox.sql(host, query);
    }

    private static Connection connect(String address) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "handover");
        properties.setProperty("password", "handover-secret");
        properties.setProperty("connectTimeout", "2000");
        properties.setProperty("socketTimeout", "5000");
        properties.setProperty("sslMode", "DISABLED");
        return DriverManager.getConnection("jdbc:mysql://" + address + ":3306/", properties);
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
