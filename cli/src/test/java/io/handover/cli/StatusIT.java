package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code handover status} against the sandbox's real replication (MariaDB or Oracle MySQL, as the lab runs) and Consul. */
class StatusIT {

    private static final String DB1 = Sandbox.address("db1");
    private static final String DB2 = Sandbox.address("db2");
    private static final String DB3 = Sandbox.address("db3");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void pristineTopologyRegisteredInConsul() {
        Sandbox.run("reset");
        assertThat(handover("register", "--cluster", "sandbox")).as(err.toString()).isZero();
        out.getBuffer().setLength(0);
    }

    @AfterAll
    static void leaveTheLabPristine() {
        Sandbox.run("reset");
    }

    @TempDir
    Path temp;

    private int handover(String... args) {
        return handover(Sandbox.config(), args);
    }

    private int handover(Path config, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Handover.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("HANDOVER_CONFIG", config.toString()));
    }

    /** The lab's configuration with {@code overrides} (HOCON) on top. */
    private Path labConfigWith(String overrides) throws IOException {
        return Files.writeString(temp.resolve("handover.conf"), "include file(\"" + Sandbox.config() + "\")\n"
                + "handover.journal.directory = \"" + temp.resolve("journal") + "\"\n" + overrides + "\n");
    }

    private static final String[] MHA_STATUS = {"mha-hook", "--command=status", "--orig_master_host=db1",
            "--orig_master_ip=" + DB1, "--orig_master_port=3306"};

    /** Issue 13.10: MHA's status call checks every DNS server that start will verify, not only the catalog. */
    @Test
    void mhaStatusFailsNamingAConsulDnsServerThatNeverAnswersAndPassesWhenEveryOneAnswers() throws Exception {
        assertThat(handover(MHA_STATUS)).as(out + "\n" + err).isZero();

        // a black hole: it takes the queries and never answers
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String silent = "127.0.0.1:" + blackHole.getLocalPort();
            Path config = labConfigWith("handover.backends.consul.dns = [\"" + Sandbox.address("c1") + ":8600\", \""
                    + Sandbox.address("c2") + ":8600\", \"" + Sandbox.address("c3") + ":8600\", \"" + silent + "\"]");

            assertThat(handover(config, MHA_STATUS)).as(out + "\n" + err).isEqualTo(ExitCode.FAILED);
            assertThat(err.toString()).contains("dns " + silent + " cannot answer")
                    .doesNotContain("dns " + Sandbox.address("c1") + ":8600 cannot answer")
                    .doesNotContain("handover register"); // it would not make the server answer

            assertThat(handover(config, "status")).isEqualTo(ExitCode.FAILED);
            assertThat(out.toString()).contains("    dns " + silent + ": error: ")
                    .containsPattern("    - consul service sandbox-master .*dns " + silent + " cannot answer");
        }
    }

    /** Every redirect of a cluster is shown and checked on its own: one that disagrees fails status. */
    @Test
    void everyRedirectIsShownAndOneThatDisagreesFailsStatus() throws Exception {
        Path config = labConfigWith("handover.clusters.sandbox.redirect = [{ backend = consul, service = sandbox-master },"
                + " { backend = consul, service = sandbox-unpublished }]");

        assertThat(handover(config, "status", "--json")).isEqualTo(ExitCode.FAILED);

        JsonNode cluster = new ObjectMapper().readTree(out.toString()).get("clusters").get(0);
        assertThat(cluster.get("redirects")).hasSize(2);
        assertThat(cluster.get("redirects").get(0).get("sendsTo").get(0).asText()).isEqualTo("db1");
        assertThat(cluster.get("redirects").get(1).get("sendsTo")).isEmpty();
        assertThat(cluster.get("problems")).hasSize(1);
        assertThat(cluster.get("problems").get(0).get("code").asText()).isEqualTo("redirect-disagrees");
        assertThat(cluster.get("problems").get(0).get("text").asText()).startsWith("consul service sandbox-unpublished sends clients nowhere");
    }

    /** Issue 15.4: what only a failover would trip over shows in status and stops MHA's manager from starting. */
    @Test
    void aHostNamedLikeANodeWithoutExternalNodeMetaFailsStatusAndMhaStatus() throws Exception {
        // as a Consul agent on db2 (or someone by hand) would have registered it
        consul("PUT", "catalog/register", "{\"Node\": \"db2\", \"Address\": \"" + DB2 + "\"}");
        try {
            assertThat(handover("status", "--json")).isEqualTo(ExitCode.FAILED);
            JsonNode problems = new ObjectMapper().readTree(out.toString()).get("clusters").get(0).get("problems");
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).get("code").asText()).isEqualTo("consul-node-agent-owned");
            assertThat(problems.get(0).get("text").asText()).startsWith("consul service sandbox-master: host db2 is named like"
                    + " Consul node \"db2\", whose NodeMeta lacks external-node = \"true\"");

            assertThat(handover(MHA_STATUS)).isEqualTo(ExitCode.FAILED);
            assertThat(err.toString()).contains("host db2 is named like Consul node \"db2\"").doesNotContain("handover register");
        } finally {
            consul("PUT", "catalog/deregister", "{\"Node\": \"db2\"}");
        }
    }

    private static void consul(String method, String path, String body) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://" + Sandbox.address("c1") + ":8500/v1/" + path))
                .timeout(Duration.ofSeconds(5)).method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Issue 15.5: Consul down is said as such, naming every server tried, without advice that cannot work. */
    @Test
    void consulUnreachableIsSaidNamingEveryServerTried() {
        Sandbox.run("consul-isolate");
        try {
            long start = System.nanoTime();
            assertThat(handover("status", "--json")).isEqualTo(ExitCode.FAILED);
            System.out.printf("status with Consul unreachable: %d ms%n", (System.nanoTime() - start) / 1_000_000);

            assertThat(out.toString()).contains("\"code\" : \"redirect-unreadable\"")
                    .contains("http://" + Sandbox.address("c1") + ":8500/", "http://" + Sandbox.address("c2") + ":8500/",
                            "http://" + Sandbox.address("c3") + ":8500/")
                    .doesNotContain("handover register");
            assertThat(handover(MHA_STATUS)).isEqualTo(ExitCode.FAILED);
            assertThat(err.toString()).contains("reached no Consul server").doesNotContain("handover register");
        } finally {
            Sandbox.run("consul-restore");
        }
    }

    @Test
    void healthyTopologyShowsMasterReplicasAndWhereClientsGo() {
        assertThat(handover("status")).as(out + "\n" + err).isZero();

        assertThat(out.toString())
                .contains("cluster sandbox: healthy")
                .containsPattern("db1 +" + DB1 + ":3306 +writable master +- +- +- +\\S+ +"
                        + (Sandbox.mysql() ? "MySQL (8\\.4|9)\\." : "MariaDB 10\\.11"))
                .containsPattern("db2 +" + DB2 + ":3306 +read-only replica +" + DB1 + ":3306 +Yes/Yes +0s +\\S+")
                .containsPattern("db3 +" + DB3 + ":3306 +read-only replica +" + DB1 + ":3306 +Yes/Yes +0s")
                .contains("redirect consul service sandbox-master -> db1 (" + DB1 + ":3306)")
                .contains("dns " + Sandbox.address("c1") + ":8600: db1 (" + DB1 + ":3306)")
                .doesNotContain("problems:");
    }

    @Test
    void jsonOutputCarriesTheSameFacts() throws Exception {
        assertThat(handover("status", "--json", "--cluster", "sandbox")).isZero();

        JsonNode cluster = new ObjectMapper().readTree(out.toString()).get("clusters").get(0);
        assertThat(cluster.get("healthy").asBoolean()).isTrue();
        assertThat(cluster.get("master").asText()).isEqualTo("db1");
        JsonNode db2 = cluster.get("hosts").get(1);
        assertThat(db2.get("role").asText()).isEqualTo("read-only replica");
        assertThat(db2.get("flavor").asText()).isEqualTo(Sandbox.flavorName());
        assertThat(db2.get("superReadOnly").isNull()).isEqualTo(!Sandbox.mysql());
        assertThat(db2.get("replication").get("sourceHost").asText()).isEqualTo(DB1);
        assertThat(db2.get("replication").get("gtid").asBoolean()).isTrue();
        assertThat(cluster.get("redirects").get(0).get("sendsTo").get(0).asText()).isEqualTo("db1");
        assertThat(out.toString()).doesNotContain("handover-secret");
    }

    @Test
    void prometheusFormatCarriesTheSameFacts() {
        assertThat(handover("status", "--format", "prometheus", "--cluster", "sandbox")).isZero();

        assertThat(out.toString()).contains("handover_cluster_healthy{cluster=\"sandbox\"} 1\n",
                "handover_cluster_writable_masters{cluster=\"sandbox\"} 1\n",
                "handover_host_reachable{cluster=\"sandbox\",host=\"db2\",endpoint=\"" + DB2 + ":3306\"} 1\n",
                "handover_host_read_only{cluster=\"sandbox\",host=\"db2\"} 1\n",
                "handover_host_replica_lag_seconds{cluster=\"sandbox\",host=\"db2\"} 0\n",
                "handover_redirect_target{cluster=\"sandbox\",backend=\"consul\",redirect=\"consul service sandbox-master\",target=\"db1\"} 1\n",
                "handover_redirect_agrees{cluster=\"sandbox\",backend=\"consul\",redirect=\"consul service sandbox-master\"} 1\n",
                "handover_journal_last_step_timestamp_seconds{cluster=\"sandbox\",outcome=\"ok\"} ")
                .doesNotContain("handover-secret");
    }

    @Test
    void stoppedSqlThreadIsABrokenReplica() {
        Sandbox.sql("db2", Sandbox.stopSqlThread());

        assertThat(handover("status")).isEqualTo(ExitCode.FAILED);

        assertThat(out.toString())
                .contains("cluster sandbox: UNHEALTHY")
                .containsPattern("db2 +" + DB2 + ":3306 +read-only replica +" + DB1 + ":3306 +Yes/No +\\?")
                .contains("    - db2: replication SQL thread is No");
    }

    @Test
    void writableReplicaMeansTwoMasters() {
        Sandbox.sql("db3", Sandbox.makeWritable());

        assertThat(handover("status")).isEqualTo(ExitCode.FAILED);

        assertThat(out.toString())
                .containsPattern("db3 +" + DB3 + ":3306 +WRITABLE replica")
                .contains("    - 2 writable masters: db1, db3");
    }

    @Test
    void replicaWithAWriteOfItsOwnHasErrantTransactions() {
        // A write straight to db3 (read_only off for a moment): db1, the master, never had it.
        Sandbox.sql("db3", Sandbox.makeWritable() + "; CREATE TABLE handover_probe.errant (id INT PRIMARY KEY);"
                + " SET GLOBAL read_only = 1");
        String errant = Sandbox.mysql() ? Sandbox.ownGtidPrefix("db3") + "1" : "0-3-1";

        assertThat(handover("status")).isEqualTo(ExitCode.FAILED);

        assertThat(out.toString()).as(out.toString())
                .contains("    - db3 has transactions db1 lacks (errant GTIDs " + errant + "): promoted, it would hand them"
                        + " to every replica")
                .doesNotContain("db2 has transactions");
    }

    @Test
    void mysqlReplicaReadOnlyOnlyUntilRestartIsFlagged() {
        assumeTrue(Sandbox.mysql(), "MySQL only: MariaDB has no SET PERSIST, its my.cnf alone decides");
        // As a replica set up with SET GLOBAL would be: nothing persisted, nothing in my.cnf.
        Sandbox.sql("db3", "RESET PERSIST; SET GLOBAL super_read_only = ON");

        assertThat(handover("status")).isEqualTo(ExitCode.FAILED);

        assertThat(out.toString()).contains("    - db3 is read-only only until it restarts: read_only and super_read_only were"
                + " set with SET GLOBAL and are not persisted (SET PERSIST super_read_only = ON keeps them)")
                .doesNotContain("db2 is read-only only");
    }

    @Test
    void killedServerIsReportedUnreachableAndTheOthersStillShown() {
        Sandbox.run("db-kill", "db3");

        long start = System.nanoTime();
        assertThat(handover("status")).isEqualTo(ExitCode.FAILED);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(out.toString())
                .containsPattern("db3 +" + DB3 + ":3306 +unreachable")
                .contains("    - db3 is unreachable: Communications link failure")
                .containsPattern("db1 +" + DB1 + ":3306 +writable master")
                .containsPattern("db2 +" + DB2 + ":3306 +read-only replica");
        assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void hostThatDropsPacketsCostsOneConnectTimeoutNotAHang() {
        Sandbox.run("exec", "db3", "ip", "link", "set", "eth0", "down");
        try {
            long start = System.nanoTime();
            assertThat(handover("status")).isEqualTo(ExitCode.FAILED);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(out.toString()).contains("    - db3 is unreachable: Communications link failure")
                    .containsPattern("db2 +" + DB2 + ":3306 +read-only replica");
            // connect-timeout is 2 s by default; the hosts are asked in parallel.
            assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
        } finally {
            Sandbox.run("exec", "db3", "ip", "link", "set", "eth0", "up");
        }
    }
}
