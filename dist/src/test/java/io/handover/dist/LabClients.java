package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What the end-to-end tests ask the lab directly, not through handover's own checks: who holds the VIP, whom a client reaches. */
final class LabClients {

    private LabClients() {}

    /** MHA's two hook lines, both the packaged {@code handover} with {@code config}. */
    static Map<String, String> hooks(Path config) {
        return Map.of("HANDOVER_MHA_FAILOVER_SCRIPT", Installed.LAUNCHER + " mha-hook --config=" + config,
                "HANDOVER_MHA_ONLINE_CHANGE_SCRIPT", Installed.LAUNCHER + " mha-online-change --config=" + config);
    }

    /** The journal of the lab's cluster, for each of its configurations. */
    static Path journal() {
        return Sandbox.dir().resolve("journal/sandbox.jsonl");
    }

    /**
     * The lab reset, Consul's catalog emptied, MHA's log gone, db1 published with {@code config}; then
     * the journal emptied, so that it holds only what the test does.
     */
    static void pristineAndRegistered(Path config) throws IOException {
        Sandbox.run("reset");
        Sandbox.run("consul-reset");
        Files.deleteIfExists(MhaFailover.logFile());
        Installed.Run register = Installed.handover(Map.of("HANDOVER_CONFIG", config.toString()), "register", "--cluster", "sandbox");
        assertThat(register.exitCode()).as(register.stdout() + register.stderr()).isZero();
        Files.deleteIfExists(journal());
    }

    /** The db hosts that hold the VIP, asked in their namespaces directly, not through handover. */
    static List<String> vipHolders() {
        return Sandbox.run("vip-holders").lines().map(line -> line.split(" ")[0]).toList();
    }

    /** The server id that a fresh connection from the client host {@code app} through {@code address} reaches, after running {@code sql}. */
    static String appReaches(String address, String sql) {
        return Sandbox.run("app", "mariadb", "-h", address, "-uhandover", "-phandover-secret", "--connect-timeout=3", "-N", "-B",
                "-e", sql + "SELECT @@server_id").strip();
    }

    /** A new session of handover's account on {@code address}; the timeouts are short, as a writer during a failover wants. */
    static Connection connect(String address) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "handover");
        properties.setProperty("password", "handover-secret");
        properties.setProperty("connectTimeout", "1000");
        properties.setProperty("socketTimeout", "2000");
        properties.setProperty("sslMode", "DISABLED");
        return DriverManager.getConnection("jdbc:mysql://" + address + ":3306/", properties);
    }

    static String serverId(String host) {
        return Sandbox.sql(host, "SELECT @@server_id");
    }

    /** The name of the one writable host, as {@code handover status --json} with {@code config} sees it. */
    static String writableMaster(Path config) throws Exception {
        Installed.Run status = Installed.handover(Map.of("HANDOVER_CONFIG", config.toString()), "status", "--json");
        JsonNode cluster = new ObjectMapper().readTree(status.stdout()).get("clusters").get(0);
        for (JsonNode host : cluster.get("hosts")) {
            if (host.get("writable").asBoolean()) {
                return host.get("name").asText();
            }
        }
        throw new AssertionError("no writable master after the failover:\n" + status.stdout());
    }
}
