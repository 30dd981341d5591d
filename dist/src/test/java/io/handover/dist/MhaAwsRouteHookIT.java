package io.handover.dist;

import io.handover.awsroute.Moto;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Route;

/**
 * MHA 0.58's {@code master_ip_failover_script} protocol end to end through the packaged
 * {@code bin/handover}, with the {@code aws-route} backend against the EC2 API of moto: the exact
 * arguments MHA appends for status, stopssh and start, exit codes, what the route tables say
 * afterwards (read with the AWS SDK, not through handover), the lines MHA copies into its log, the
 * journal, and that neither MHA's password nor the AWS secret key ever reaches any of them.
 *
 * <p>No MySQL is needed: the aws-route hooks never log in to the database servers, so db1..db3 are
 * addresses that answer nothing. The launcher runs with an environment of its own (PATH, JAVA_HOME,
 * a HOME without AWS files, and test credentials), so no real AWS credentials can be used. Every
 * call to EC2 goes through {@link Ec2Door}, which can refuse connections or stop answering.
 */
class MhaAwsRouteHookIT {

    private static final String DESTINATION = "198.18.200.10/32";
    private static final String CLUSTER = "main";
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    /** What a hook may take beyond its deadline: the JVM's start and end on a loaded machine. */
    private static final Duration JVM_START = Duration.ofSeconds(5);
    private static final String MHA_PASSWORD = "s3cr3t-pw";
    private static final String AWS_ACCESS_KEY = "testing";
    private static final String AWS_SECRET_KEY = "itSecretKey-Q7vX2mK9pL4wR8tN3bZ6";
    private static final String MYSQL_PASSWORD = "unused-mysql-pw-5Hc8";
    private static final Map<String, String> ADDRESSES = new LinkedHashMap<>();

    static {
        ADDRESSES.put("db1", "198.18.210.11");
        ADDRESSES.put("db2", "198.18.210.12");
        ADDRESSES.put("db3", "198.18.210.13");
    }

    private static Moto moto;
    /** The test's own view of EC2: straight to moto, not through the door, with credentials of its own. */
    private static Ec2Client ec2;

    @TempDir
    Path dir;
    private Path config;
    private Path state;
    private Ec2Door door;
    private String table1;
    private String table2;
    private final Map<String, String> interfaces = new LinkedHashMap<>();
    private final List<Installed.Run> runs = new ArrayList<>();

    /** Once for the class; checked for each test, so that without moto JUnit reports every test skipped. */
    private static void startMotoOnce() throws Exception {
        Moto.sitePackages();
        if (moto != null) {
            return;
        }
        moto = Moto.start();
        ec2 = Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAMOTOFIXTURE00001", "fixture")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopMoto() {
        if (ec2 != null) {
            ec2.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /** A VPC of this test's own: two route tables, an interface per host with source/destination check off, and the file. */
    @BeforeEach
    void vpcAndConfiguration() throws Exception {
        startMotoOnce();
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.30.1.0/24")).subnet().subnetId();
        table1 = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        table2 = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        for (String host : ADDRESSES.keySet()) {
            String eni = ec2.createNetworkInterface(r -> r.subnetId(subnet).description(host)).networkInterface().networkInterfaceId();
            ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).sourceDestCheck(v -> v.value(false)));
            interfaces.put(host, eni);
        }
        door = new Ec2Door(moto.port());
        state = dir.resolve("state");
        config = dir.resolve("etc/handover.conf");
        Files.createDirectories(config.getParent());
        StringBuilder hosts = new StringBuilder();
        StringBuilder enis = new StringBuilder();
        ADDRESSES.forEach((host, address) -> {
            hosts.append("      { name = \"").append(host).append("\", address = \"").append(address).append("\", port = 3306 }\n");
            enis.append(enis.length() == 0 ? "" : ", ").append(host).append(" = \"").append(interfaces.get(host)).append('"');
        });
        Files.writeString(config, "handover {\n"
                + "  journal.directory = \"" + state.resolve("journal") + "\"\n"
                + "  lock { backend = \"file\", directory = \"" + state.resolve("locks") + "\" }\n"
                + "  clusters." + CLUSTER + " {\n"
                + "    # the aws-route hooks never log in to MySQL: nothing answers at these addresses\n"
                + "    mysql { user = \"handover\", password = \"" + MYSQL_PASSWORD + "\" }\n"
                + "    hosts = [\n" + hosts + "    ]\n"
                + "    redirect = [ {\n"
                + "      backend = \"aws-route\"\n"
                + "      destination = \"" + DESTINATION + "\"\n"
                + "      route-tables = [\"" + table1 + "\", \"" + table2 + "\"]\n"
                + "      network-interfaces { " + enis + " }\n"
                + "    } ]\n"
                + "    deadline = " + DEADLINE.toSeconds() + "s\n"
                + "  }\n"
                + "  backends.aws-route { region = \"us-east-1\", endpoint = \"" + door.endpoint() + "\" }\n"
                + "}\n");
    }

    @AfterEach
    void noSecretReachedAnyOutputTheJournalOrTheLockFiles(TestInfo test) throws Exception {
        if (door == null) {
            return; // skipped: no moto
        }
        door.close();
        List<String> secrets = List.of(MHA_PASSWORD, AWS_SECRET_KEY, MYSQL_PASSWORD);
        for (Installed.Run run : runs) {
            assertThat(run.stdout() + run.stderr()).as("stdout and stderr of a hook").doesNotContain(secrets);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.isDirectory(state) ? Files.walk(state) : Stream.empty()) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            assertThat(Files.readString(file)).as("%s", file).doesNotContain(secrets);
        }
        System.out.println(test.getDisplayName() + ": " + runs.size() + " hook runs, "
                + String.join(", ", runs.stream().map(run -> "exit " + run.exitCode() + " in " + run.elapsed().toMillis() + " ms").toList()));
    }

    @Test
    void deadMasterFailoverPointsEveryRouteTableAtTheNewMaster() throws Exception {
        routeAllTablesTo("db1");

        Installed.Run status = hook("status", "db1", null);
        assertThat(status.exitCode()).as(describe(status)).isZero();
        assertThat(status.stdout()).contains("handover [main] aws route " + DESTINATION + ": status ok");

        Installed.Run stop = hook("stopssh", "db1", null);
        assertThat(stop.exitCode()).as(describe(stop)).isZero();
        assertThat(stop.stdout()).contains("handover [main] aws route " + DESTINATION + ": release db1 ok");
        assertThat(routedTo(table1)).as("table 1 after stopssh").isNull();
        assertThat(routedTo(table2)).as("table 2 after stopssh").isNull();

        Installed.Run start = hook("start", "db1", "db2");
        assertThat(start.exitCode()).as(describe(start)).isZero();
        assertThat(routedTo(table1)).isEqualTo(interfaces.get("db2"));
        assertThat(routedTo(table2)).isEqualTo(interfaces.get("db2"));
        String line = "handover \\[main\\] aws route " + Pattern.quote(DESTINATION) + ": ";
        assertThat(start.stdout())
                .containsPattern(line + "activate db2 ok in \\d+ ms \\(198\\.18\\.210\\.12:3306\\)\n")
                .containsPattern(line + "verify db2 ok in \\d+ ms \\(route table " + table1 + " agrees after \\d+ ms; route table " + table2
                        + " agrees after \\d+ ms; network interface " + interfaces.get("db2") + " \\(db2\\) agrees after \\d+ ms\\)\n");

        assertThat(JournalSteps.of(state.resolve("journal/" + CLUSTER + ".jsonl"))).containsExactly(
                "mha-hook status status ok", "mha-hook stopssh lock ok", "mha-hook stopssh release db1 ok",
                "mha-hook start lock ok", "mha-hook start activate db2 ok", "mha-hook start verify db2 ok");

        // The next manager start checks the new master: the tables agree.
        Installed.Run next = hook("status", "db2", null);
        assertThat(next.exitCode()).as(describe(next)).isZero();
    }

    @Test
    void statusNamesARouteTablePointedElsewhereByHand() throws Exception {
        routeAllTablesTo("db1");
        route(table2, "db3");

        Installed.Run status = hook("status", "db1", null);

        assertThat(status.exitCode()).as(describe(status)).isEqualTo(1);
        String output = status.stdout() + status.stderr();
        assertThat(output).contains("route table " + table2, "db3", "handover register --cluster " + CLUSTER);
        assertThat(routedTo(table1)).as("status changes nothing").isEqualTo(interfaces.get("db1"));
        assertThat(routedTo(table2)).as("status changes nothing").isEqualTo(interfaces.get("db3"));
    }

    @Test
    void anEc2ApiThatRefusesConnectionsFailsStartWithinTheDeadlineAndARerunCompletesTheRedirect() throws Exception {
        failStartThenRerun(door::shut, "refuses connections", "cannot reach the EC2 API at " + door.endpoint());
    }

    @Test
    void anEc2ApiThatNeverAnswersFailsStartWithinTheDeadlineAndARerunCompletesTheRedirect() throws Exception {
        failStartThenRerun(door::silence, "never answers", "no answer from the EC2 API at " + door.endpoint() + " in time");
    }

    @FunctionalInterface
    private interface Outage {
        void begin() throws IOException;
    }

    private void failStartThenRerun(Outage outage, String what, String cause) throws Exception {
        routeAllTablesTo("db1");
        Installed.Run stop = hook("stopssh", "db1", null);
        assertThat(stop.exitCode()).as(describe(stop)).isZero();

        outage.begin();
        Installed.Run failed = hook("start", "db1", "db2");
        assertThat(failed.exitCode()).as("start while the EC2 API %s: %s", what, describe(failed)).isEqualTo(1);
        assertThat(failed.elapsed()).as("start while the EC2 API %s", what).isLessThan(DEADLINE.plus(JVM_START));
        assertThat(failed.stdout()).contains("handover [main] aws route " + DESTINATION + ": activate db2 failed",
                "did not succeed by the deadline", cause);
        assertThat(failed.stderr()).contains("activate failed for cluster " + CLUSTER);
        assertThat(routedTo(table1)).isNull();
        assertThat(routedTo(table2)).isNull();

        door.open();
        Installed.Run rerun = hook("start", "db1", "db2");
        assertThat(rerun.exitCode()).as("the same start re-run by hand: %s", describe(rerun)).isZero();
        assertThat(routedTo(table1)).isEqualTo(interfaces.get("db2"));
        assertThat(routedTo(table2)).isEqualTo(interfaces.get("db2"));
        assertThat(JournalSteps.of(state.resolve("journal/" + CLUSTER + ".jsonl"))).containsExactly(
                "mha-hook stopssh lock ok", "mha-hook stopssh release db1 ok",
                "mha-hook start lock ok", "mha-hook start activate db2 failed",
                "mha-hook start lock ok", "mha-hook start activate db2 ok", "mha-hook start verify db2 ok");
    }

    /**
     * {@code bin/handover mha-hook --config=FILE} with the arguments MHA 0.58 appends, in its order:
     * status and stopssh name the orig master; start also the new master, its user and password.
     */
    private Installed.Run hook(String command, String origMaster, String newMaster) {
        List<String> args = new ArrayList<>(List.of("mha-hook", "--config=" + config, "--command=" + command, "--ssh_user=root",
                "--orig_master_host=" + ADDRESSES.get(origMaster), "--orig_master_ip=" + ADDRESSES.get(origMaster), "--orig_master_port=3306"));
        if (newMaster != null) {
            args.addAll(List.of("--new_master_host=" + ADDRESSES.get(newMaster), "--new_master_ip=" + ADDRESSES.get(newMaster),
                    "--new_master_port=3306", "--new_master_user=mha", "--new_master_password=" + MHA_PASSWORD));
        }
        return launch(args);
    }

    /**
     * Runs the launcher as {@link Installed#handover} does, but with an environment of its own: the
     * SDK's default chain finds the test credentials in it and nothing else (no ~/.aws files, no
     * instance metadata, no session token or profile of whoever runs the build).
     */
    private Installed.Run launch(List<String> args) {
        assertThat(Installed.LAUNCHER).as("run mvn package first: the distribution is missing").isExecutable();
        List<String> command = new ArrayList<>();
        command.add(Installed.LAUNCHER.toString());
        command.addAll(args);
        try {
            Path home = Files.createDirectories(dir.resolve("home"));
            Path out = Files.createTempFile(dir, "hook", ".out");
            Path err = Files.createTempFile(dir, "hook", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> environment = builder.environment();
            environment.clear();
            for (String inherited : List.of("PATH", "JAVA_HOME")) {
                String value = System.getenv(inherited);
                if (value != null) {
                    environment.put(inherited, value);
                }
            }
            environment.put("HOME", home.toString());
            environment.put("AWS_CONFIG_FILE", home.resolve(".aws/config").toString());
            environment.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/credentials").toString());
            environment.put("AWS_EC2_METADATA_DISABLED", "true");
            environment.put("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY);
            environment.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET_KEY);
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("handover " + String.join(" ", args) + " did not end in 120 s");
            }
            Installed.Run run = new Installed.Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
            Files.delete(out);
            Files.delete(err);
            runs.add(run);
            return run;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String describe(Installed.Run run) {
        return "exit " + run.exitCode() + " in " + run.elapsed().toMillis() + " ms\nstdout:\n" + run.stdout() + "stderr:\n" + run.stderr();
    }

    /** What a user does before starting MHA, done here with the SDK since register needs MySQL. */
    private void routeAllTablesTo(String host) {
        route(table1, host);
        route(table2, host);
    }

    private void route(String table, String host) {
        String eni = interfaces.get(host);
        if (routedTo(table) == null) {
            ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock(DESTINATION).networkInterfaceId(eni));
        } else {
            ec2.replaceRoute(r -> r.routeTableId(table).destinationCidrBlock(DESTINATION).networkInterfaceId(eni));
        }
    }

    /** The interface the table routes the destination to, or null when it has no such route. */
    private static String routedTo(String table) {
        return ec2.describeRouteTables(r -> r.routeTableIds(table)).routeTables().get(0).routes().stream()
                .filter(route -> DESTINATION.equals(route.destinationCidrBlock())).map(Route::networkInterfaceId)
                .findFirst().orElse(null);
    }

}
