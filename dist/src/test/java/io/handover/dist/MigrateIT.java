package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.awsroute.Moto;
import io.handover.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The migration commands (docs/MIGRATION.md) through the packaged {@code bin/handover} on the real
 * lab: the dual run of the VIP and Consul ({@code handover-dual.conf}), sessions held open through
 * the VIP from the client host, and the same check with an AWS route (moto's EC2 API) beside Consul.
 */
class MigrateIT {

    private static final String CLUSTER = "sandbox";
    private static final String VIP = Sandbox.net() + ".50";
    private static final String APP_PASSWORD = "app-Secret-7Kq";
    private static final Pattern APP_SESSIONS = Pattern.compile("vip " + Pattern.quote(VIP) + " on eth0 \\(vip\\)\\s+" + Pattern.quote(VIP)
            + "\\s+(\\d+)");

    @TempDir
    Path dir;
    private final Path dual = Sandbox.dir().resolve("handover-dual.conf");
    private final List<Process> sessions = new ArrayList<>();

    @BeforeEach
    void pristineLabWithAnApplicationAccount() {
        Sandbox.run("reset");
        Sandbox.run("consul-reset");
        // the application's own account: sessions of handover's account are counted apart
        Sandbox.sql("db1", "CREATE USER 'app'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'");
        Sandbox.sql("db1", "GRANT SELECT ON *.* TO 'app'@'%'");
    }

    @AfterEach
    void closeSessionsAndRestoreTheLab() {
        sessions.forEach(Process::destroyForcibly);
        Sandbox.run("reset");
    }

    @Test
    void checkPassesWhenVipAndConsulAgreeNamesConsulWhenItsEntryIsRemovedByHandAndRegisterRepairsIt() {
        assertThat(run(dual, "register", "--cluster", CLUSTER).exitCode()).isZero();

        Installed.Run agree = run(dual, "migrate", "check", "--cluster", CLUSTER);
        assertThat(agree.exitCode()).as(describe(agree)).isZero();
        assertThat(agree.stdout()).contains("    ok    mysql via VIP " + VIP + ":3306: db1",
                "    ok    mysql via sandbox-master.service.consul:3306: db1", "every redirect sends clients to the writable master db1");

        Sandbox.run("consul-reset");   // the Consul entry removed by hand
        Installed.Run removed = run(dual, "migrate", "check", "--cluster", CLUSTER);
        assertThat(removed.exitCode()).as(describe(removed)).isEqualTo(1);
        assertThat(removed.stdout()).contains("(consul): DISAGREES", "(vip, primary): agrees");
        assertThat(removed.stderr()).contains("migrate check failed for cluster sandbox: consul (consul service sandbox-master)"
                + " sends clients nowhere", "handover register --cluster sandbox").doesNotContain("vip 198", "Exception");

        assertThat(run(dual, "register", "--cluster", CLUSTER).exitCode()).isZero();
        Installed.Run repaired = run(dual, "migrate", "check", "--cluster", CLUSTER, "--json");
        assertThat(repaired.exitCode()).as(describe(repaired)).isZero();
        assertThat(repaired.stdout()).contains("\"backend\" : \"consul\"", "\"problem\" : null", "\"agrees\" : true").doesNotContain("\"agrees\" : false");
    }

    @Test
    void clientsCountsSessionsHeldThroughTheVipAndRetireRefusesWhileTheyLastAndSucceedsAfter() throws Exception {
        Path cutOver = cutOverConfig();
        assertThat(run(cutOver, "register", "--cluster", CLUSTER).exitCode()).isZero();
        for (int i = 0; i < 3; i++) {
            sessions.add(openSessionFromTheClientHost());
        }
        awaitAppSessions(cutOver, 3);

        Installed.Run clients = run(cutOver, "migrate", "clients", "--cluster", CLUSTER);
        assertThat(clients.stdout()).contains(Sandbox.net() + ".31 (3)", "replication: 2 session(s) from db2 (1), db3 (1)");

        Installed.Run refused = run(cutOver, "migrate", "retire", "--cluster", CLUSTER, "--backend", "vip");
        assertThat(refused.exitCode()).as(describe(refused)).isEqualTo(4);
        assertThat(refused.stderr()).contains("refused: 3 application session(s) still come in on vip " + VIP, "--force");
        assertThat(holders()).as("a refused retire changes nothing").containsExactly("db1");

        Installed.Run primary = run(cutOver, "migrate", "retire", "--cluster", CLUSTER, "--backend", "consul");
        assertThat(primary.exitCode()).as(describe(primary)).isEqualTo(4);
        assertThat(primary.stderr()).contains("is the primary redirect of cluster sandbox");

        sessions.forEach(session -> {
            try {
                session.getOutputStream().close();   // the client quits, as an application that moved to the Consul name
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        awaitAppSessions(cutOver, 0);
        Installed.Run retired = run(cutOver, "migrate", "retire", "--cluster", CLUSTER, "--backend", "vip");
        assertThat(retired.exitCode()).as(describe(retired)).isZero();
        assertThat(retired.stdout()).contains("vip " + VIP + " on eth0: release db1 ok", "redirect = [\n  { backend = \"consul\", service = \"sandbox-master\" }\n]\n"
                + "# secondary-failure may go too: with one redirect there is no secondary");
        assertThat(holders()).as("the VIP is off the master").isEmpty();
        Installed.Run check = run(cutOver, "migrate", "check", "--cluster", CLUSTER);
        assertThat(check.stdout()).contains("    ok    mysql via sandbox-master.service.consul:3306: db1");
    }

    @Test
    void checkWithAnAwsRouteBesideConsulComparesWhatEc2SaysAndSaysNoClientCanGoThroughTheRoute() throws Exception {
        Moto.sitePackages();
        try (Moto moto = Moto.start(); Ec2Client ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAMOTOFIXTURE00001", "fixture")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
            String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.30.1.0/24")).subnet().subnetId();
            String table1 = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
            String table2 = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
            Map<String, String> interfaces = new LinkedHashMap<>();
            for (String host : List.of("db1", "db2", "db3")) {
                String eni = ec2.createNetworkInterface(r -> r.subnetId(subnet).description(host)).networkInterface().networkInterfaceId();
                ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).sourceDestCheck(v -> v.value(false)));
                interfaces.put(host, eni);
            }
            Path config = awsRouteAndConsulConfig(moto, List.of(table1, table2), interfaces);
            Map<String, String> aws = Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                    "AWS_EC2_METADATA_DISABLED", "true", "AWS_CONFIG_FILE", dir.resolve("none").toString(),
                    "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString());
            assertThat(run(config, aws, "register", "--cluster", CLUSTER).exitCode()).isZero();

            Installed.Run agree = run(config, aws, "migrate", "check", "--cluster", CLUSTER);
            assertThat(agree.exitCode()).as(describe(agree)).isZero();
            assertThat(agree.stdout()).contains("    ok    route table " + table1 + ": db1", "    ok    route table " + table2 + ": db1",
                    "note: no data-plane client: handover cannot connect through 198.18.200.10 from here",
                    "    ok    mysql via sandbox-master.service.consul:3306: db1");

            ec2.replaceRoute(r -> r.routeTableId(table2).destinationCidrBlock("198.18.200.10/32").networkInterfaceId(interfaces.get("db3")));
            Installed.Run wrong = run(config, aws, "migrate", "check", "--cluster", CLUSTER);
            assertThat(wrong.exitCode()).as(describe(wrong)).isEqualTo(1);
            assertThat(wrong.stderr()).contains("aws-route (aws route 198.18.200.10/32)", "route table " + table2 + " answers db3")
                    .doesNotContain("consul (consul service");

            assertThat(run(config, aws, "register", "--cluster", CLUSTER).exitCode()).isZero();
            assertThat(run(config, aws, "migrate", "check", "--cluster", CLUSTER).exitCode()).isZero();
        }
    }

    /** Stage 3: the dual run's file with Consul first. */
    private Path cutOverConfig() throws IOException {
        String text = Files.readString(dual);
        Matcher vip = Pattern.compile("(\\s*\\{ backend = \"vip\"[^\\n]*)(\\s*\\{ backend = \"consul\"[^\\n]*)").matcher(text);
        assertThat(vip.find()).as("the dual config lists the VIP, then Consul:%n%s", text).isTrue();
        Path file = dir.resolve("cut-over.conf");
        Files.writeString(file, text.substring(0, vip.start()) + vip.group(2) + vip.group(1) + text.substring(vip.end())
                .replace("directory = \"journal\"", "directory = \"" + Sandbox.dir().resolve("journal") + "\""));
        return file;
    }

    private Path awsRouteAndConsulConfig(Moto moto, List<String> tables, Map<String, String> interfaces) throws IOException {
        String consulDns = "[\"" + Sandbox.address("c1") + ":8600\", \"" + Sandbox.address("c2") + ":8600\", \"" + Sandbox.address("c3") + ":8600\"]";
        StringBuilder hosts = new StringBuilder();
        StringBuilder enis = new StringBuilder();
        interfaces.forEach((host, eni) -> {
            hosts.append("      { name = \"").append(host).append("\", address = \"").append(Sandbox.address(host)).append("\" }\n");
            enis.append(enis.length() == 0 ? "" : ", ").append(host).append(" = \"").append(eni).append('"');
        });
        Path file = dir.resolve("aws-route.conf");
        Files.writeString(file, "handover {\n"
                + "  journal.directory = \"" + dir.resolve("journal") + "\"\n"
                + "  lock { backend = \"file\" }\n"
                + "  clusters." + CLUSTER + " {\n"
                + "    mysql { user = \"handover\", password = ${HANDOVER_SANDBOX_MYSQL_PASSWORD} }\n"
                + "    hosts = [\n" + hosts + "    ]\n"
                + "    redirect = [\n"
                + "      { backend = \"aws-route\", destination = \"198.18.200.10/32\", route-tables = [\"" + String.join("\", \"", tables)
                + "\"], network-interfaces { " + enis + " } }\n"
                + "      { backend = \"consul\", service = \"sandbox-master\" }\n"
                + "    ]\n"
                + "    secondary-failure = \"proceed\"\n"
                + "    deadline = 15s\n"
                + "    client-endpoint { name = \"sandbox-master.service.consul\", dns = " + consulDns + " }\n"
                + "  }\n"
                + "  backends.aws-route { region = \"us-east-1\", endpoint = \"" + moto.endpoint() + "\" }\n"
                + "  backends.consul { addresses = [\"http://" + Sandbox.address("c1") + ":8500\"], dns = " + consulDns + " }\n"
                + "}\n");
        return file;
    }

    /** An idle application session through the VIP from the client host, open until its stdin closes. */
    private static Process openSessionFromTheClientHost() throws IOException {
        String namespace = System.getenv().getOrDefault("HANDOVER_SANDBOX_PREFIX", "ho") + "-app";
        return new ProcessBuilder("ip", "netns", "exec", namespace, "mariadb", "--no-defaults", "-h", VIP, "-uapp", "-p" + APP_PASSWORD,
                "--connect-timeout=3").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits until migrate clients counts {@code expected} application sessions on the VIP (logins take a moment). */
    private static void awaitAppSessions(Path config, int expected) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            Installed.Run clients = run(config, "migrate", "clients", "--cluster", CLUSTER);
            assertThat(clients.exitCode()).as(describe(clients)).isZero();
            last = clients.stdout();
            Matcher count = APP_SESSIONS.matcher(last);
            if (count.find() && Integer.parseInt(count.group(1)) == expected) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("migrate clients did not count " + expected + " application sessions on the VIP in 30 s:\n" + last);
    }

    private static List<String> holders() {
        return Sandbox.run("vip-holders").lines().filter(line -> line.startsWith("db")).map(line -> line.split(" ")[0]).toList();
    }

    private static Installed.Run run(Path config, String... args) {
        return run(config, Map.of(), args);
    }

    private static Installed.Run run(Path config, Map<String, String> environment, String... args) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.put("HANDOVER_CONFIG", config.toString());
        all.putIfAbsent("HANDOVER_SANDBOX_MYSQL_PASSWORD", System.getenv().getOrDefault("HANDOVER_SANDBOX_MYSQL_PASSWORD", "handover-secret"));
        return Installed.handover(all, args);
    }

    private static String describe(Installed.Run run) {
        return "exit " + run.exitCode() + "\nstdout:\n" + run.stdout() + "stderr:\n" + run.stderr();
    }
}
