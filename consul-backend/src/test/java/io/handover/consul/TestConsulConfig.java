package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Secret;
import io.handover.consul.ConfigFixture.Loaded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConsulConfig {

    @TempDir
    Path directory;

    @Test
    void anEmptyBlockMeansALocalAgentWithoutTokenTlsOrKv() {
        Loaded loaded = load("", "service = main-master");

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isEqualTo(new ConsulConfig(
                List.of(HttpUrl.get("http://127.0.0.1:8500")), List.of(new DnsEndpoint("127.0.0.1", 8600)), false, "consul",
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(1), false, "mysql/master",
                new LockConfig("handover/lock", Duration.ofSeconds(15), "handover")));
        assertThat(loaded.redirect()).isEqualTo(new ConsulRedirect("main-master", "main"));
    }

    @Test
    void everyKeyIsMapped() {
        Loaded loaded = load("""
                addresses = ["https://consul-1.example.com:8501", "https://10.0.0.2:8501"]
                dns = ["10.0.0.1:53", "[::1]:8600"]
                dns-tcp = true
                dns-domain = "consul.example.com"
                datacenter = "eu-west_1"
                token = "b1gs3cr3t"
                request-timeout = 750ms
                dns-timeout = 250ms
                tls { ca-file = "%s", cert-file = "%s", key-file = "%s" }
                kv { enabled = true, prefix = "/db/masters/" }
                lock { prefix = "/ops/locks/", ttl = 1m, node = "handover-eu" }
                """.formatted(ConfigFixture.resource("tls/ca.pem"), ConfigFixture.resource("tls/client.pem"),
                ConfigFixture.resource("tls/client-ec-key.pem")), "service = orders-master, kv-name = orders");

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isEqualTo(new ConsulConfig(
                List.of(HttpUrl.get("https://consul-1.example.com:8501"), HttpUrl.get("https://10.0.0.2:8501")),
                List.of(new DnsEndpoint("10.0.0.1", 53), new DnsEndpoint("::1", 8600)), true, "consul.example.com",
                Optional.of("eu-west_1"), Optional.of(Secret.of("b1gs3cr3t")),
                Optional.of(new ConsulTls(Optional.of(ConfigFixture.resource("tls/ca.pem")), Optional.of(ConfigFixture.resource("tls/client.pem")),
                        Optional.of(ConfigFixture.resource("tls/client-ec-key.pem")))),
                Duration.ofMillis(750), Duration.ofMillis(250), true, "db/masters", new LockConfig("ops/locks", Duration.ofMinutes(1), "handover-eu")));
        assertThat(loaded.redirect()).isEqualTo(new ConsulRedirect("orders-master", "orders"));
        assertThat(loaded.config().dns().get(1)).hasToString("[::1]:8600");
    }

    @Test
    void theTokenIsASecretThatNeverPrints() {
        Loaded loaded = load("token = \"b1gs3cr3t\"", "service = main-master");

        assertThat(loaded.config().toString()).doesNotContain("b1gs3cr3t").contains("[REDACTED]");
        assertThat(loaded.root().secretPaths()).containsExactly("handover.backends.consul.token");
    }

    @Test
    void theTokenComesFromTokenFileElseFromTheEnvironment() throws Exception {
        Path file = Files.writeString(directory.resolve("consul.token"), "  from-file\n");

        assertThat(load("token-file = \"" + file + "\"", "service = main-master").config().token()).contains(Secret.of("from-file"));
        assertThat(ConfigFixture.load(directory, "", "service = main-master", Map.of("CONSUL_HTTP_TOKEN", "from-env")).config().token())
                .contains(Secret.of("from-env"));
        assertThat(ConfigFixture.load(directory, "token = from-config", "service = main-master", Map.of("CONSUL_HTTP_TOKEN", "from-env"))
                .config().token()).contains(Secret.of("from-config"));
    }

    @Test
    void aBadAddressIsNamedWithItsLine() {
        assertThat(load("addresses = [\"http://127.0.0.1:8500\", \"127.0.0.1:8500\"]", "service = main-master").problems()).containsExactly(
                "handover.backends.consul.addresses: '127.0.0.1:8500' is not a Consul HTTP address such as http://127.0.0.1:8500"
                        + " or https://consul.example.com:8501 (handover.conf:3)");
        assertThat(load("addresses = []", "service = main-master").problems()).containsExactly(
                "handover.backends.consul.addresses: must list at least one Consul server, such as \"http://127.0.0.1:8500\" (handover.conf:3)");
    }

    @Test
    void aDnsServerMustBeHostAndPort() {
        assertThat(load("dns = [\"127.0.0.1\", \"127.0.0.1:99999\"]", "service = main-master").problems()).containsExactly(
                "handover.backends.consul.dns: '127.0.0.1' is not host:port, such as 127.0.0.1:8600 (handover.conf:3)",
                "handover.backends.consul.dns: '127.0.0.1:99999' is not host:port, such as 127.0.0.1:8600 (handover.conf:3)");
    }

    @Test
    void aMissingServiceIsReported() {
        assertThat(load("", "kv-name = main").problems()).containsExactly(
                "handover.clusters.main.redirect[0].service: missing required key 'service' (handover.conf:5)",
                "handover.clusters.main.redirect[0].kv-name: is set, but handover.backends.consul.kv.enabled is false (handover.conf:5)");
    }

    @Test
    void aServiceNameDnsCannotAnswerIsRefused() {
        assertThat(load("", "service = main_master").problems()).containsExactly(
                "handover.clusters.main.redirect[0].service: 'main_master' is not a valid Consul service name: use letters, digits"
                        + " and dashes, at most 63, so that DNS can answer <service>.service.consul (handover.conf:5)");
    }

    @Test
    void aMisspeltKeyIsRefusedWithASuggestion() {
        assertThat(load("request-timout = 3s", "service = main-master, kv-nmae = x").problems()).containsExactly(
                "handover.backends.consul.request-timout: unknown key 'request-timout' (did you mean 'request-timeout'?) (handover.conf:3)",
                "handover.clusters.main.redirect[0].kv-nmae: unknown key 'kv-nmae' (did you mean 'kv-name'?) (handover.conf:5)");
    }

    @Test
    void anUnreadableOrEmptyTokenFileIsReported() throws Exception {
        Path empty = Files.writeString(directory.resolve("empty.token"), "\n");

        assertThat(load("token-file = \"/nonexistent/consul.token\"", "service = main-master").problems()).containsExactly(
                "handover.backends.consul.token-file: cannot read '/nonexistent/consul.token': no such file (handover.conf:3)");
        assertThat(load("token-file = \"" + empty + "\"", "service = main-master").problems()).containsExactly(
                "handover.backends.consul.token-file: 'empty.token' is empty (handover.conf:3)"); // the fixture strips the directory
        assertThat(load("token = abc\ntoken-file = \"" + empty + "\"", "service = main-master").problems()).containsExactly(
                "handover.backends.consul.token-file: set either token or token-file, not both (handover.conf:4)");
    }

    @Test
    void tlsNeedsReadableFilesACertificateWithItsKeyAndAnHttpsAddress() {
        String https = "addresses = [\"https://127.0.0.1:8501\"]\n";
        assertThat(load(https + "tls.ca-file = \"/nonexistent/ca.pem\"", "service = main-master").problems()).containsExactly(
                "handover.backends.consul.tls.ca-file: cannot read '/nonexistent/ca.pem' (handover.conf:4)");
        assertThat(load(https + "tls.cert-file = \"" + ConfigFixture.resource("tls/client.pem") + "\"", "service = main-master").problems())
                .containsExactly("handover.backends.consul.tls.key-file: cert-file and key-file must be set together (handover.conf:4)");
        assertThat(load("tls.ca-file = \"" + ConfigFixture.resource("tls/ca.pem") + "\"", "service = main-master").problems())
                .containsExactly("handover.backends.consul.tls: is set, but no address uses https:// (handover.conf:3)");
    }

    @Test
    void aKeyFileWithoutAKeyIsReportedAtLoad() {
        Path notAKey = ConfigFixture.resource("tls/not-a-key.pem");
        String tls = "addresses = [\"https://127.0.0.1:8501\"]\ntls { cert-file = \"" + ConfigFixture.resource("tls/client.pem")
                + "\", key-file = \"" + notAKey + "\" }";

        assertThat(load(tls, "service = main-master").problems()).containsExactly("handover.backends.consul.tls: cannot load the TLS files:"
                + " no unencrypted private key (BEGIN PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY) in '" + notAKey + "' (handover.conf:4)");
    }

    @Test
    void namesThatDnsOrConsulCannotUseAreRefused() {
        assertThat(load("dns-domain = \"consul.\"\ndatacenter = \"eu west\"\nkv.prefix = \"/\"", "service = main-master").problems())
                .containsExactly(
                        "handover.backends.consul.dns-domain: 'consul.' is not a DNS domain such as consul (handover.conf:3)",
                        "handover.backends.consul.datacenter: 'eu west' is not a Consul datacenter name (letters, digits, '-' and '_') (handover.conf:4)",
                        "handover.backends.consul.kv.prefix: must name a key path such as mysql/master (handover.conf:5)");
        assertThat(load("kv.enabled = true", "service = main-master, kv-name = \"a/b\"").problems()).containsExactly(
                "handover.clusters.main.redirect[0].kv-name: 'a/b' must be a non-empty key segment without '/' (handover.conf:5)");
    }

    private Loaded load(String backendKeys, String redirectKeys) {
        return ConfigFixture.load(directory, backendKeys, redirectKeys, Map.of());
    }
}
