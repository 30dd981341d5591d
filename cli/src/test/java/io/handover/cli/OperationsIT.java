package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What docs/OPERATIONS.md tells a DBA to run, on the sandbox: the hooks tried without a failover, the documented grants. */
class OperationsIT {

    private static final String DB1 = Sandbox.address("db1");
    private static final String DB2 = Sandbox.address("db2");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void pristineTopologyRegisteredInConsul() {
        Sandbox.run("reset");
        assertThat(handover(Sandbox.config(), "register", "--cluster", "sandbox")).as(err.toString()).isZero();
    }

    @AfterAll
    static void leaveTheLabPristine() {
        Sandbox.run("reset");
    }

    private int handover(Path config, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Handover.run(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("HANDOVER_CONFIG", config.toString()));
    }

    /** The service's catalog entry and Consul's index for it: any write to it moves the index. */
    private static String catalog() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                HttpRequest.newBuilder(URI.create("http://" + Sandbox.address("c1") + ":8500/v1/catalog/service/sandbox-master"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return response.headers().firstValue("X-Consul-Index").orElseThrow() + " " + response.body();
    }

    @Test
    void statusAndAStartNamingTheCurrentMasterChangeNothing() throws Exception {
        String before = catalog();
        String orig = "--orig_master_host=" + DB1;

        assertThat(handover(Sandbox.config(), "mha-hook", "--command=status", "--ssh_user=root", orig,
                "--orig_master_ip=" + DB1, "--orig_master_port=3306")).as(err.toString()).isZero();
        assertThat(handover(Sandbox.config(), "mha-hook", "--command=start", "--ssh_user=root", orig,
                "--orig_master_ip=" + DB1, "--orig_master_port=3306", "--new_master_host=" + DB1, "--new_master_ip=" + DB1,
                "--new_master_port=3306", "--new_master_user=mha", "--new_master_password=x")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("activate db1 ok", "verify db1 ok");
        assertThat(catalog()).isEqualTo(before);
    }

    /** Exactly the grants docs/OPERATIONS.md lists for the lab's flavour. */
    private static final java.util.List<String> MARIADB_GRANTS = java.util.List.of(
            "GRANT PROCESS, SLAVE MONITOR ON *.* TO 'handover_min'@'%'",
            "GRANT READ_ONLY ADMIN, CONNECTION ADMIN, REPLICATION SLAVE ADMIN, RELOAD ON *.* TO 'handover_min'@'%'",
            "GRANT CREATE USER ON *.* TO 'handover_min'@'%'",
            "GRANT CREATE, DROP, SELECT, INSERT ON handover_probe.* TO 'handover_min'@'%' WITH GRANT OPTION");
    private static final java.util.List<String> MYSQL_GRANTS = java.util.List.of(
            "GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'handover_min'@'%'",
            "GRANT SELECT ON performance_schema.* TO 'handover_min'@'%'",
            "GRANT SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN, REPLICATION_SLAVE_ADMIN, RELOAD ON *.* TO 'handover_min'@'%'",
            "GRANT CREATE USER ON *.* TO 'handover_min'@'%'",
            "GRANT CREATE, DROP, SELECT, INSERT ON handover_probe.* TO 'handover_min'@'%' WITH GRANT OPTION");

    @Test
    void theDocumentedGrantsAreEnoughForStatusSwitchoverAndProbe() throws Exception {
        Sandbox.sql("db1", "CREATE USER 'handover_min'@'%' IDENTIFIED BY 'min-secret'");
        for (String grant : Sandbox.mysql() ? MYSQL_GRANTS : MARIADB_GRANTS) {
            Sandbox.sql("db1", grant);
        }
        Path config = Sandbox.dir().resolve("handover-min.conf");
        Files.writeString(config, Files.readString(Sandbox.config())
                .replace("user = \"handover\", password = \"handover-secret\"", "user = \"handover_min\", password = \"min-secret\"")
                .replace("directory = \"journal\"", "directory = \"" + Sandbox.dir().resolve("journal") + "\""));
        assertThat(Files.readString(config)).contains("handover_min");

        assertThat(handover(config, "switchover", "--cluster", "sandbox", "--to", "db2", "--yes")).as(err.toString()).isZero();
        assertThat(handover(config, "status", "--cluster", "sandbox", "--json")).as(err.toString()).isIn(0, 1);
        assertThat(out.toString()).containsPattern("\"master\" *: *\"db2\"");
        assertThat(handover(config, "switchover", "--cluster", "sandbox", "--to", "db1", "--yes")).as(err.toString()).isZero();
        assertThat(handover(config, "probe", "--cluster", "sandbox", "--duration", "2s")).as(out + "\n" + err).isZero();
        assertThat(handover(config, "probe", "--cluster", "sandbox", "--cleanup")).as(err.toString()).isZero();
    }
}
