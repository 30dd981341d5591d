package io.handover.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.cli.Handover;
import io.handover.config.RecordingBackendFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The switchover's MySQL dialect against real MySQL 8.4 GTID replication (the sandbox runs MariaDB).
 * Needs a Docker engine and is skipped, and reported as skipped, without one. The hosts are the
 * containers' own addresses, which the test JVM and the other containers both reach: a Linux
 * Docker host (not Docker Desktop's VM). Redirects go to the in-memory recording backend.
 */
@Testcontainers(disabledWithoutDocker = true)
class MysqlSwitchoverIT {

    private static final Network NETWORK = Network.newNetwork();
    private static final String ROOT_PASSWORD = "root-secret";

    @Container
    private static final MySQLContainer<?> DB1 = mysql("db1", 1);
    @Container
    private static final MySQLContainer<?> DB2 = mysql("db2", 2);
    @Container
    private static final MySQLContainer<?> DB3 = mysql("db3", 3);

    @TempDir
    static Path dir;

    private static Path config;

    private static MySQLContainer<?> mysql(String alias, int serverId) {
        return new MySQLContainer<>(DockerImageName.parse("mysql:8.4"))
                .withNetwork(NETWORK).withNetworkAliases(alias)
                .withUsername("root").withPassword(ROOT_PASSWORD)
                .withCommand("--server-id=" + serverId, "--log-bin=mysql-bin", "--gtid-mode=ON",
                        "--enforce-gtid-consistency=ON", "--skip-name-resolve");
    }

    private static String address(MySQLContainer<?> container) {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .map(network -> network.getIpAddress()).filter(ip -> ip != null && !ip.isEmpty()).findFirst().orElseThrow();
    }

    private static Connection root(MySQLContainer<?> container) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + address(container) + ":3306/?allowPublicKeyRetrieval=true&useSSL=false",
                "root", ROOT_PASSWORD);
    }

    @BeforeAll
    static void gtidReplicationFromDb1() throws Exception {
        for (MySQLContainer<?> container : List.of(DB1, DB2, DB3)) {
            try (Connection connection = root(container); Statement statement = connection.createStatement()) {
                // Accounts exist on every host already, as a DBA would have made them: not through replication.
                statement.execute("SET sql_log_bin = 0");
                statement.execute("CREATE USER 'handover'@'%' IDENTIFIED BY 'handover-secret'");
                statement.execute("GRANT ALL PRIVILEGES ON *.* TO 'handover'@'%' WITH GRANT OPTION");
                statement.execute("CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-secret'");
                statement.execute("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'");
                statement.execute("SET sql_log_bin = 1");
            }
        }
        String initialised;
        try (Connection connection = root(DB1); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
            rs.next();
            initialised = rs.getString(1);
        }
        for (MySQLContainer<?> replica : List.of(DB2, DB3)) {
            try (Connection connection = root(replica); Statement statement = connection.createStatement()) {
                // Every container initialised the same database itself: the replicas skip db1's copy of that.
                statement.execute("RESET BINARY LOGS AND GTIDS");
                statement.execute("SET GLOBAL gtid_purged = '" + initialised + "'");
                statement.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + address(DB1) + "', SOURCE_PORT = 3306,"
                        + " SOURCE_USER = 'repl', SOURCE_PASSWORD = 'repl-secret', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1");
                statement.execute("START REPLICA");
                statement.execute("SET GLOBAL super_read_only = ON");
            }
        }
        config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.mysql {
                    mysql { user = handover, password = handover-secret }
                    hosts = [
                      { name = db1, address = "%s" }
                      { name = db2, address = "%s" }
                      { name = db3, address = "%s" }
                    ]
                    redirect = [ { backend = recording, label = mysql } ]
                    replication { user = repl, password = repl-secret }
                    switchover { max-candidate-lag = 5s }
                  }
                }
                """.formatted(address(DB1), address(DB2), address(DB3)));
        RecordingBackendFactory.TARGETS.put("mysql", new ArrayList<>(List.of(address(DB1))));
    }

    private static Lab.Run handover(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Handover.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("HANDOVER_CONFIG", config.toString()));
        return new Lab.Run(code, out.toString(), err.toString());
    }

    private static JsonNode host(String name) throws Exception {
        JsonNode cluster = new ObjectMapper().readTree(handover("status", "--json", "--cluster", "mysql").out()).get("clusters").get(0);
        for (JsonNode host : cluster.get("hosts")) {
            if (host.get("name").asText().equals(name)) {
                return host;
            }
        }
        throw new AssertionError("no host " + name);
    }

    @Test
    void dryRunShowsTheMysqlStatements() {
        Lab.Run run = handover("switchover", "--cluster", "mysql", "--to", "db2", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("  1. fence db1: SET PERSIST read_only = ON, SET PERSIST super_read_only = ON, ")
                .contains("SELECT WAIT_FOR_EXECUTED_GTID_SET('<that position>', 1)")
                .contains("  3. promote db2: STOP REPLICA; RESET REPLICA ALL; SET PERSIST super_read_only = OFF; SET PERSIST read_only = OFF")
                .contains("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + address(DB2) + "', SOURCE_PORT = 3306, SOURCE_USER = 'repl',"
                        + " SOURCE_PASSWORD = '[REDACTED]', SOURCE_AUTO_POSITION = 1, SOURCE_CONNECT_RETRY = 1, GET_SOURCE_PUBLIC_KEY = 1");
    }

    @Test
    void switchoverToDb2AndBackKeepsGtidReplicationAndSuperReadOnly() throws Exception {
        for (MySQLContainer<?> target : List.of(DB2, DB1)) {
            String name = target == DB2 ? "db2" : "db1";
            Lab.Run run = handover("switchover", "--cluster", "mysql", "--to", name, "--yes");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(host(name).get("role").asText()).isEqualTo("writable master");
            assertThat(host(name).get("superReadOnly").asBoolean()).isFalse();
            for (String other : List.of("db1", "db2", "db3")) {
                if (!other.equals(name)) {
                    JsonNode replica = host(other);
                    assertThat(replica.get("superReadOnly").asBoolean()).as(other).isTrue();
                    assertThat(replica.get("replication").get("sourceHost").asText()).as(other).isEqualTo(address(target));
                    assertThat(replica.get("replication").get("gtid").asBoolean()).as(other).isTrue();
                }
            }
            assertThat(RecordingBackendFactory.TARGETS.get("mysql")).containsExactly(address(target));
        }
    }
}
