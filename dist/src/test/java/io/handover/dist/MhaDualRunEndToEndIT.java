package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first stage of a migration (docs: README's redirect section), on the real MHA manager: the
 * packaged {@code handover} hooks move the VIP (primary) and Consul (secondary) together through a
 * kill -9 failover, at the same time. A client writing through the Consul DNS name all along, and one
 * on the client host {@code app} through the VIP, both write on the new master.
 */
class MhaDualRunEndToEndIT {

    private static final String SERVICE = "sandbox-master.service.consul";
    private static final String CONSUL = "consul service sandbox-master";

    private final Path config = Sandbox.dir().resolve("handover-dual.conf");
    private final Path journal = LabClients.journal();
    private final String vip = Sandbox.net() + ".50";
    private final Map<String, String> hooks = LabClients.hooks(config);

    @BeforeEach
    void pristineLabWithBothPathsOnDb1() throws Exception {
        LabClients.pristineAndRegistered(config);
        assertThat(LabClients.vipHolders()).containsExactly("db1");
        assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(Sandbox.address("db1")));
        // The client host learns db1's MAC for the VIP, as an application's host would.
        assertThat(LabClients.appReaches(vip, "")).isEqualTo(LabClients.serverId("db1"));
    }

    @AfterEach
    void stopTheManagerAndRestoreTheLab() {
        MhaFailover.stopManagerAndReset();
    }

    @Test
    void deadMasterFailoverMovesTheVipAndConsulTogetherAndClientsOnBothPathsWriteOnTheNewMaster() throws Exception {
        Sandbox.sql("db1", "CREATE TABLE handover_probe.e2e (id BIGINT PRIMARY KEY)");
        try (DnsWriter writer = new DnsWriter(ConsulDns.LAB_SERVERS.get(0), SERVICE)) {
            long killedAt = MhaFailover.killMaster(hooks, () -> writer.awaitAcks(20));

            String newMaster = MhaFailover.completedOn(config);
            assertThat(LabClients.vipHolders()).containsExactly(newMaster);
            assertThat(ConsulDns.labAnswers(SERVICE)).containsOnly(List.of(Sandbox.address(newMaster)));

            List<String> steps = stepsByBackend();
            String vipBackend = "vip " + vip + " on eth0";
            for (String backend : List.of(vipBackend, CONSUL)) {
                assertThat(steps).as(backend).containsSubsequence("mha-hook stopssh " + backend + " release db1 ok",
                        "mha-hook start " + backend + " activate " + newMaster + " ok",
                        "mha-hook start " + backend + " verify " + newMaster + " ok");
            }
            // Moved at the same time: Consul's activate started while the VIP's (seconds of ssh and DAD) still ran.
            // (Backend after backend, the primary VIP's activate and verify would both end before Consul's began.)
            assertThat(steps).containsSubsequence("mha-hook start " + CONSUL + " activate " + newMaster + " started",
                    "mha-hook start " + vipBackend + " activate " + newMaster + " ok");

            // Through the Consul DNS name: the writer carried on on the new master.
            writer.awaitAcks(writer.acks().size() + 20);
            List<DnsWriter.Ack> acks = writer.acks();
            assertThat(acks).filteredOn(ack -> ack.atNanos() > killedAt).isNotEmpty()
                    .allSatisfy(ack -> assertThat(ack.address()).isEqualTo(Sandbox.address(newMaster)));
            assertThat(Long.parseLong(Sandbox.sql(newMaster, "SELECT COUNT(*) FROM handover_probe.e2e WHERE id IN ("
                    + String.join(",", acks.stream().map(ack -> String.valueOf(ack.id())).toList()) + ")")))
                    .as("every write acknowledged through the DNS name is on the new master").isEqualTo(acks.size());
        }
        // Through the VIP, from the client host whose ARP cache held db1: a write lands on the new master.
        String newMaster = LabClients.writableMaster(config);
        assertThat(LabClients.appReaches(vip, "INSERT INTO handover_probe.e2e VALUES (-1); "))
                .isEqualTo(LabClients.serverId(newMaster));
        assertThat(Sandbox.sql(newMaster, "SELECT COUNT(*) FROM handover_probe.e2e WHERE id = -1")).isEqualTo("1");
    }

    /** Each journal entry as "command backend step outcome", started entries included. */
    private List<String> stepsByBackend() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> steps = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            JsonNode entry = json.readTree(line);
            if (entry.hasNonNull("backend")) {
                steps.add(entry.get("command").asText() + " " + entry.get("backend").asText() + " " + entry.get("step").asText()
                        + " " + entry.get("outcome").asText());
            }
        }
        return steps;
    }
}
