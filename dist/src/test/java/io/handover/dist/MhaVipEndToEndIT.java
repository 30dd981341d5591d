package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.sandbox.Sandbox;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real MHA manager fails over the sandbox with both hooks set to the packaged {@code handover}
 * and the {@code vip} backend: the virtual IP moves to the new master over SSH, and a client that
 * connects to the VIP, from the root namespace and from the client host {@code app} whose ARP cache
 * held the old master, reaches the new master.
 */
class MhaVipEndToEndIT {

    private final Path config = Sandbox.dir().resolve("handover-vip.conf");
    private final Path journal = LabClients.journal();
    private final String vip = Sandbox.net() + ".50";
    private final Map<String, String> hooks = LabClients.hooks(config);

    @BeforeEach
    void pristineLabWithTheVipOnDb1() throws Exception {
        LabClients.pristineAndRegistered(config);
        assertThat(LabClients.vipHolders()).containsExactly("db1");
        // The client host learns db1's MAC for the VIP, as an application's host would.
        assertThat(LabClients.appReaches(vip, "")).isEqualTo(LabClients.serverId("db1"));
    }

    @AfterEach
    void stopTheManagerAndRestoreTheLab() {
        MhaFailover.stopManagerAndReset();
    }

    @Test
    void deadMasterFailoverMovesTheVipAndEveryClientFollows() throws Exception {
        Sandbox.sql("db1", "CREATE TABLE handover_probe.vip_e2e (id BIGINT PRIMARY KEY)");
        try (VipWriter writer = new VipWriter(vip)) {
            long killedAt = MhaFailover.killMaster(hooks, () -> awaitWrites(writer, 20));

            String newMaster = MhaFailover.completedOn(config);
            assertThat(LabClients.vipHolders()).containsExactly(newMaster);
            assertThat(LabClients.appReaches(vip, "")).as("the client host, whose ARP cache held db1").isEqualTo(LabClients.serverId(newMaster));
            assertThat(JournalSteps.of(journal)).containsSubsequence(
                    "mha-hook status status ok", "mha-hook stopssh lock ok", "mha-hook stopssh release db1 ok",
                    "mha-hook start lock ok", "mha-hook start activate " + newMaster + " ok",
                    "mha-hook start verify " + newMaster + " ok");

            awaitWrites(writer, writer.acks().size() + 20);
            List<VipWriter.Ack> acks = writer.acks();
            assertThat(acks).filteredOn(ack -> ack.atNanos() > killedAt).isNotEmpty()
                    .allSatisfy(ack -> assertThat(ack.serverId()).isEqualTo(LabClients.serverId(newMaster)));
            assertThat(Long.parseLong(Sandbox.sql(newMaster, "SELECT COUNT(*) FROM handover_probe.vip_e2e WHERE id IN ("
                    + String.join(",", acks.stream().map(ack -> String.valueOf(ack.id())).toList()) + ")")))
                    .as("every acknowledged write is on the new master").isEqualTo(acks.size());
        }
    }

    @Test
    void onlineSwitchMovesTheVipOnlyAfterTheOldMasterIsFenced() throws Exception {
        Sandbox.run(hooks, "mha-switch");

        assertThat(LabClients.vipHolders()).containsExactly("db2");
        assertThat(LabClients.appReaches(vip, "")).isEqualTo(LabClients.serverId("db2"));
        assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("1");
        assertThat(JournalSteps.of(journal)).containsSubsequence(
                "mha-online-change stop fence db1 ok", "mha-online-change stop release db1 ok",
                "mha-online-change start activate db2 ok", "mha-online-change start verify db2 ok");
    }

    @Test
    void statusFlagsAStaleHolderThatCameBackAndRegisterRepairsIt() throws Exception {
        // db1 holds the VIP; db2 gets it too, as a master that comes back still holding it would.
        Sandbox.run("exec", "db2", "ip", "addr", "add", vip + "/24", "dev", "eth0");

        Installed.Run status = handover("status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.stdout()).contains("vip " + vip).contains("db1").contains("db2");

        Installed.Run register = handover("register", "--cluster", "sandbox");
        assertThat(register.exitCode()).as(register.stdout() + register.stderr()).isZero();
        assertThat(LabClients.vipHolders()).containsExactly("db1");
    }

    private Installed.Run handover(String... args) {
        return Installed.handover(Map.of("HANDOVER_CONFIG", config.toString()), args);
    }

    private static void awaitWrites(VipWriter writer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (writer.acks().size() < count) {
            assertThat(System.nanoTime()).as("the VIP writer did not reach %d writes", count).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * An application that writes numbered rows through the VIP, a new connection each time (as a pool
     * that lost its connection does), and notes which server acknowledged each one.
     */
    static final class VipWriter implements AutoCloseable {

        record Ack(long id, String serverId, long atNanos) {}

        private final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean stopped;

        VipWriter(String vip) {
            thread = new Thread(() -> {
                long next = 1;
                while (!stopped) {
                    try (Connection connection = LabClients.connect(vip); Statement statement = connection.createStatement()) {
                        statement.executeUpdate("INSERT INTO handover_probe.vip_e2e VALUES (" + next + ")");
                        try (ResultSet row = statement.executeQuery("SELECT @@server_id")) {
                            row.next();
                            acks.add(new Ack(next, row.getString(1), System.nanoTime()));
                        }
                        next++;
                    } catch (SQLException e) {
                        // the master is down or read-only: an application retries
                        next++;
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "vip-writer");
            thread.start();
        }

        List<Ack> acks() {
            return List.copyOf(acks);
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(10_000);
        }
    }
}
