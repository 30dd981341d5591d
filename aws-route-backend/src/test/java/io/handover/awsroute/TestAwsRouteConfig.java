package io.handover.awsroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.awsroute.ConfigFixture.Loaded;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestAwsRouteConfig {

    private static final String ENIS = "network-interfaces { db1 = \"eni-0a1b2c3d4e5f60711\", db2 = \"eni-0a1b2c3d4e5f60722\","
            + " db3 = \"eni-0a1b2c3d4e5f60733\" }";
    private static final String ENTRY = "destination = \"198.18.200.10/32\", route-tables = [\"rtb-0a1b2c3d4e5f60718\","
            + " \"rtb-0f1e2d3c\"], " + ENIS;

    @TempDir
    Path directory;

    @Test
    void aRegionAloneMeansTheRegionsEndpointAndTheDefaultCredentialChain() {
        Loaded loaded = load("region = \"us-east-1\"", ENTRY);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isEqualTo(new AwsRouteConfig("us-east-1", Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(loaded.config().where()).isEqualTo("the EC2 API of us-east-1");
    }

    @Test
    void everyKeyIsMapped() {
        Loaded loaded = load("""
                region = "eu-central-1"
                endpoint = "https://vpce-0123.ec2.eu-central-1.vpce.amazonaws.com"
                profile = "handover"
                role-arn = "arn:aws:iam::123456789012:role/handover-failover"
                """, ENTRY);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isEqualTo(new AwsRouteConfig("eu-central-1",
                Optional.of(URI.create("https://vpce-0123.ec2.eu-central-1.vpce.amazonaws.com")), Optional.of("handover"),
                Optional.of("arn:aws:iam::123456789012:role/handover-failover")));
        Map<String, String> interfaces = new LinkedHashMap<>();
        loaded.entry().interfaces().forEach((host, eni) -> interfaces.put(host.name(), eni));
        assertThat(interfaces).containsExactly(Map.entry("db1", "eni-0a1b2c3d4e5f60711"), Map.entry("db2", "eni-0a1b2c3d4e5f60722"),
                Map.entry("db3", "eni-0a1b2c3d4e5f60733"));
        assertThat(loaded.entry().destination()).hasToString("198.18.200.10/32");
        assertThat(loaded.entry().routeTables()).containsExactly("rtb-0a1b2c3d4e5f60718", "rtb-0f1e2d3c");
    }

    @Test
    void configureDoesNoIo() {
        Loaded loaded = load("region = \"us-east-1\"\nendpoint = \"http://127.0.0.1:1\"", ENTRY);

        assertThat(loaded.backend().started()).isFalse();
        loaded.backend().close();
    }

    @Test
    void theRegionIsRequiredAndMustBeOne() {
        assertThat(load("", ENTRY).problems()).containsExactly(
                "handover.backends.aws-route.region: missing required key 'region' (handover.conf:2)");
        assertThat(load("region = \"US East\"", ENTRY).problems()).containsExactly(
                "handover.backends.aws-route.region: 'US East' is not an AWS region such as us-east-1 (handover.conf:3)");
    }

    @Test
    void theEndpointMustBeAnHttpUrlWithoutPathOrCredentials() {
        assertThat(load("region = us-east-1\nendpoint = \"127.0.0.1:5000\"", ENTRY).problems()).containsExactly(
                "handover.backends.aws-route.endpoint: '127.0.0.1:5000' is not an EC2 endpoint URL such as"
                        + " https://ec2.us-east-1.amazonaws.com or http://127.0.0.1:5000 (handover.conf:4)");
        assertThat(load("region = us-east-1\nendpoint = \"http://127.0.0.1:5000/ec2\"", ENTRY).problems()).hasSize(1);
        List<String> withUser = load("region = us-east-1\nendpoint = \"https://AKIAIOSFODNN7EXAMPLE:s3cr3t@ec2.example.com\"", ENTRY).problems();
        assertThat(withUser).containsExactly("handover.backends.aws-route.endpoint: must not hold a user name or password:"
                + " the SDK signs requests with the credentials of its chain (handover.conf:4)");
        assertThat(String.join("", withUser)).doesNotContain("s3cr3t").doesNotContain("AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void aProfileAndARoleMustBeWellFormed() {
        assertThat(load("region = us-east-1\nprofile = \"two words\"\nrole-arn = \"handover\"", ENTRY).problems()).containsExactly(
                "handover.backends.aws-route.profile: 'two words' is not a profile name of the AWS config files, such as handover (handover.conf:4)",
                "handover.backends.aws-route.role-arn: 'handover' is not an IAM role ARN such as arn:aws:iam::123456789012:role/handover (handover.conf:5)");
    }

    @Test
    void credentialKeysAreRefusedAsUnknown() {
        assertThat(load("region = us-east-1\naccess-key-id = \"AKIAIOSFODNN7EXAMPLE\"\nregoin = x", ENTRY).problems()).containsExactly(
                "handover.backends.aws-route.access-key-id: unknown key 'access-key-id' (handover.conf:4)",
                "handover.backends.aws-route.regoin: unknown key 'regoin' (did you mean 'region'?) (handover.conf:5)");
    }

    @Test
    void everyHostNeedsItsInterface() {
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10/32\", route-tables = [\"rtb-0a1b2c3d\"],"
                + " network-interfaces { db1 = \"eni-0a1b2c3d4e5f60711\", db3 = \"eni-0a1b2c3d4e5f60733\" }").problems()).containsExactly(
                "handover.clusters.main.redirect[0].network-interfaces: has no value for host db2: every host of cluster main needs"
                        + " one, or a failover to it could not move clients (handover.conf:5)");
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10/32\", route-tables = [\"rtb-0a1b2c3d\"]").problems())
                .contains("handover.clusters.main.redirect[0].network-interfaces: has no value for host db1: every host of cluster main needs"
                        + " one, or a failover to it could not move clients (handover.conf:5)").hasSize(3);
    }

    @Test
    void interfacesMustBeEniIdsOfKnownHostsEachItsOwn() {
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10/32\", route-tables = [\"rtb-0a1b2c3d\"],"
                + " network-interfaces { db1 = \"eth0\", db2 = \"eni-0a1b2c3d\", db3 = \"eni-0a1b2c3d\", db9 = \"eni-09090909\" }").problems())
                .containsExactly(
                        "handover.clusters.main.redirect[0].network-interfaces.db1: 'eth0' is not a network interface id such as"
                                + " eni-0a1b2c3d4e5f60718 (handover.conf:5)",
                        "handover.clusters.main.redirect[0].network-interfaces.db9: 'db9' is no host of cluster main (its hosts: db1, db2, db3)"
                                + " (handover.conf:5)",
                        "handover.clusters.main.redirect[0].network-interfaces.db3: 'eni-0a1b2c3d' is also db2's interface: each host needs"
                                + " its own, or a route could not tell which host it sends clients to (handover.conf:5)");
    }

    @Test
    void routeTablesAreRequiredWellFormedAndListedOnce() {
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10/32\", " + ENIS).problems()).containsExactly(
                "handover.clusters.main.redirect[0].route-tables: missing required key 'route-tables' (handover.conf:5)");
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10/32\", route-tables = [], " + ENIS).problems()).containsExactly(
                "handover.clusters.main.redirect[0].route-tables: must list at least one route table, such as [\"rtb-0a1b2c3d4e5f60718\"]"
                        + " (handover.conf:5)");
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10/32\", route-tables = [\"rtb-0a1b2c3d\", \"rtb-XYZ\","
                + " \"rtb-0a1b2c3d\"], " + ENIS).problems()).containsExactly(
                "handover.clusters.main.redirect[0].route-tables: 'rtb-XYZ' is not a route table id such as rtb-0a1b2c3d4e5f60718 (handover.conf:5)",
                "handover.clusters.main.redirect[0].route-tables: 'rtb-0a1b2c3d' is listed twice (handover.conf:5)");
    }

    @Test
    void theDestinationIsAnIpv4BlockWithoutHostBits() {
        String rest = ", route-tables = [\"rtb-0a1b2c3d\"], " + ENIS;
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10\"" + rest).problems()).containsExactly(
                "handover.clusters.main.redirect[0].destination: '198.18.200.10' is not an IPv4 CIDR block such as 198.18.200.10/32"
                        + " (handover.conf:5)");
        assertThat(load("region = us-east-1", "destination = \"198.18.200.10/24\"" + rest).problems()).containsExactly(
                "handover.clusters.main.redirect[0].destination: '198.18.200.10/24' has host bits set, which EC2 refuses: write"
                        + " 198.18.200.0/24 for the block, or 198.18.200.10/32 for the one address (handover.conf:5)");
        assertThat(load("region = us-east-1", "route-tables = [\"rtb-0a1b2c3d\"], " + ENIS).problems()).containsExactly(
                "handover.clusters.main.redirect[0].destination: missing required key 'destination' (handover.conf:5)");
    }

    @Test
    void aMisspeltEntryKeyIsRefusedWithASuggestion() {
        assertThat(load("region = us-east-1", ENTRY + ", route-table = [\"rtb-0a1b2c3d\"]").problems()).containsExactly(
                "handover.clusters.main.redirect[0].route-table: unknown key 'route-table' (did you mean 'route-tables'?) (handover.conf:5)");
    }

    @Test
    void theConfigHelpDocumentsEveryKeyAndNoCredential() {
        String help = new AwsRouteBackendFactory().configHelp();

        assertThat(help).contains("handover.backends.aws-route {", "region = \"us-east-1\"", "# endpoint = ", "# profile = ",
                "# role-arn = ", "destination", "route-tables", "network-interfaces", "source/destination check");
        assertThat(help).doesNotContainPattern("(?i)(secret|access)[-_]?key[-_ ]?(id)?\\s*=");
    }

    private Loaded load(String backendKeys, String redirectKeys) {
        return ConfigFixture.load(directory, backendKeys, redirectKeys);
    }
}
