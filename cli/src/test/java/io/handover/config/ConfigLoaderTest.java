package io.handover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.ConfigProblem;
import io.handover.api.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String VALID = """
            handover {
              clusters {
                main {
                  mysql { user = "handover", password = ${?HANDOVER_MYSQL_PASSWORD} }
                  hosts = [
                    { name = "db1", address = "198.51.100.11", port = 3306 }
                    { name = "db2", address = "198.51.100.12" }
                    { name = "db3", address = "db3.example.com", port = 3307, candidate = false }
                  ]
                  redirect = [ { backend = "recording", label = "main-master" } ]
                }
              }
              backends {
                recording { token = "t0ken" }
              }
            }
            """;

    @TempDir
    Path dir;

    private final BackendRegistry registry = BackendRegistry.discover(List.of(new RecordingBackendFactory()));

    @Test
    void validFileGivesClustersHostsDefaultsAndBackends() throws Exception {
        HandoverConfig config = load(VALID, Map.of("HANDOVER_MYSQL_PASSWORD", "pw"));

        ClusterConfig main = config.cluster("main").orElseThrow();
        assertThat(main.cluster().hosts()).containsExactly(
                new Host("db1", "198.51.100.11", 3306, true),
                new Host("db2", "198.51.100.12", 3306, true),
                new Host("db3", "db3.example.com", 3307, false));
        assertThat(main.mysql().user()).isEqualTo("handover");
        assertThat(main.mysql().password().reveal()).isEqualTo("pw");
        assertThat(main.mysql().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(main.mysql().readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(main.mysql().sslMode()).isEqualTo("PREFERRED");
        assertThat(main.maxReplicaLag()).isEqualTo(Duration.ofSeconds(30));
        assertThat(main.redirects()).singleElement().satisfies(redirect -> {
            assertThat(redirect.backendName()).isEqualTo("recording");
            assertThat(redirect.primary()).isTrue();
            assertThat(redirect.describe()).isEqualTo("recording main-master");
        });
        assertThat(config.secretPaths()).contains("handover.clusters.main.mysql.password", "handover.backends.recording.token");
    }

    @Test
    void everyKeyCanBeSet() throws Exception {
        Files.writeString(dir.resolve("secret"), "from-file\n");
        HandoverConfig config = load("""
                handover.clusters.c {
                  mysql { user = u, password-file = secret, connect-timeout = 500ms, read-timeout = 3s, ssl-mode = REQUIRED }
                  hosts = [ { name = a, address = "2001:db8::1", port = 3310, candidate = true } ]
                  max-replica-lag = 1m
                  redirect = [ { backend = recording, label = x }, { backend = recording, label = y } ]
                }
                """, Map.of());

        ClusterConfig cluster = config.cluster("c").orElseThrow();
        assertThat(cluster.mysql()).isEqualTo(new MysqlSettings("u", io.handover.api.Secret.of("from-file"),
                Duration.ofMillis(500), Duration.ofSeconds(3), "REQUIRED"));
        assertThat(cluster.maxReplicaLag()).isEqualTo(Duration.ofMinutes(1));
        assertThat(cluster.redirects()).extracting(RedirectEntry::primary).containsExactly(true, false);
    }

    @Test
    void switchoverLockProbeAndReplicationHaveDefaults() throws Exception {
        HandoverConfig config = load(VALID, Map.of("HANDOVER_MYSQL_PASSWORD", "pw"));

        ClusterConfig main = config.cluster("main").orElseThrow();
        assertThat(main.switchover()).isEqualTo(new SwitchoverSettings(
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThat(main.replication()).isEmpty();
        assertThat(main.replicationAccount()).isEqualTo(new ReplicationAccount("handover", io.handover.api.Secret.of("pw")));
        assertThat(main.clientEndpoint()).isEmpty();
        assertThat(main.probe()).isEmpty();
        assertThat(config.lock()).isEqualTo(new LockSettings(java.util.Optional.empty(), Path.of(ConfigLoader.DEFAULT_JOURNAL_DIRECTORY)));
    }

    @Test
    void switchoverLockProbeAndReplicationKeysCanBeSet() throws Exception {
        Files.writeString(dir.resolve("repl.password"), "r3pl\n");
        HandoverConfig config = load("""
                handover {
                  journal.directory = journal
                  lock.directory = locks
                  clusters.c {
                    mysql { user = u, password = p }
                    hosts = [ { name = a, address = "198.51.100.11" } ]
                    redirect = [ { backend = recording, label = x } ]
                    replication { user = repl, password-file = repl.password }
                    switchover { max-candidate-lag = 3s, max-transaction-age = 1m, catch-up-timeout = 20s, deadline = 2m }
                    client-endpoint { name = "c-master.service.consul", port = 3307, dns = ["198.51.100.21:8600", "[2001:db8::2]:53"] }
                    probe { database = probe_db, user = probe_writer }
                  }
                }
                """, Map.of());

        ClusterConfig cluster = config.cluster("c").orElseThrow();
        assertThat(config.lock().directory()).isEqualTo(dir.resolve("locks"));
        assertThat(cluster.replicationAccount()).isEqualTo(new ReplicationAccount("repl", io.handover.api.Secret.of("r3pl")));
        assertThat(cluster.switchover()).isEqualTo(new SwitchoverSettings(
                Duration.ofSeconds(3), Duration.ofMinutes(1), Duration.ofSeconds(20), Duration.ofMinutes(2)));
        assertThat(cluster.clientEndpoint()).contains(new ClientEndpoint("c-master.service.consul", 3307, List.of(
                new ClientEndpoint.DnsServer("198.51.100.21", 8600), new ClientEndpoint.DnsServer("2001:db8::2", 53))));
        assertThat(cluster.probe()).contains(new ProbeSettings("probe_db", "probe_writer"));
        assertThat(config.secretPaths()).contains("handover.clusters.c.replication.password");
    }

    @Test
    void switchoverLockProbeAndReplicationKeysAreValidated() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("""
                handover {
                  lock { directory = [x], dir = y }
                  clusters.c {
                    mysql { user = u, password = p }
                    hosts = [ { name = a, address = "198.51.100.11" } ]
                    redirect = [ { backend = recording, label = x } ]
                    replication { password = p, passwrd = q }
                    switchover { max-candidate-lag = soon, max-transaction-age = -1s, catch-up-timeout = 2m, dedline = 1m }
                    client-endpoint { name = "not a name", port = 0, dns = ["198.51.100.21", "x:99999"], ttl = 0 }
                    probe { database = "my-db", user = "a_user_name_that_is_far_too_long_for_mysql" }
                  }
                }
                """)).containsExactly(
                "handover.clusters.c.replication.user: missing required key 'user' (" + f + ":7)",
                "handover.clusters.c.replication.passwrd: unknown key 'passwrd' (did you mean 'password'?) (" + f + ":7)",
                "handover.clusters.c.switchover.max-candidate-lag: 'soon' is not a duration (use a number and a unit: 500ms, 5s, 1m) (" + f + ":8)",
                "handover.clusters.c.switchover.max-transaction-age: must be positive, got '-1s' (" + f + ":8)",
                "handover.clusters.c.switchover.catch-up-timeout: must be at least 5 s shorter than switchover.deadline (60000 ms), which also covers redirecting clients; got 120000 ms (" + f + ":8)",
                "handover.clusters.c.switchover.dedline: unknown key 'dedline' (did you mean 'deadline'?) (" + f + ":8)",
                "handover.clusters.c.client-endpoint.name: 'not a name' is not a host name (" + f + ":9)",
                "handover.clusters.c.client-endpoint.port: 0 is out of range 1-65535 (" + f + ":9)",
                "handover.clusters.c.client-endpoint.dns: '198.51.100.21' is not host:port (such as 10.0.0.2:8600) (" + f + ":9)",
                "handover.clusters.c.client-endpoint.dns: 'x:99999' is not host:port (such as 10.0.0.2:8600) (" + f + ":9)",
                "handover.clusters.c.client-endpoint.ttl: unknown key 'ttl' (" + f + ":9)",
                "handover.clusters.c.probe.database: 'my-db' is not a database name of 1-64 letters, digits and '_' (" + f + ":10)",
                "handover.clusters.c.probe.user: 'a_user_name_that_is_far_too_long_for_mysql' is not a user name of 1-32 letters, digits and '_' (" + f + ":10)",
                "handover.lock.directory: expected a string, got a list (" + f + ":2)",
                "handover.lock.dir: unknown key 'dir' (" + f + ":2)");
    }

    @Test
    void clientEndpointNeedsItsDnsServersAndProbeItsDatabase() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("""
                handover.clusters.c {
                  mysql { user = u, password = p }
                  hosts = [ { name = a, address = "198.51.100.11" } ]
                  redirect = [ { backend = recording, label = x } ]
                  client-endpoint { name = "c-master.service.consul" }
                  probe { }
                }
                handover.clusters.d {
                  mysql { user = u, password = p }
                  hosts = [ { name = a, address = "198.51.100.12" } ]
                  redirect = [ { backend = recording, label = x } ]
                  client-endpoint { name = "d-master.service.consul", dns = [] }
                }
                """)).containsExactly(
                "handover.clusters.c.client-endpoint.dns: missing required key 'dns' (the DNS servers clients ask, as host:port) (" + f + ":5)",
                "handover.clusters.c.probe.database: missing required key 'database' (" + f + ":6)",
                "handover.clusters.d.client-endpoint.dns: must list at least one DNS server (host:port) (" + f + ":12)");
    }

    @Test
    void environmentSubstitutionAndIncludeWork() throws Exception {
        Files.writeString(dir.resolve("hosts.conf"), """
                handover.clusters.main.hosts = [ { name = db1, address = "198.51.100.11" } ]
                """);
        HandoverConfig config = load("""
                include "hosts.conf"
                handover.clusters.main {
                  mysql { user = ${DB_USER}, password = ${?DB_PASSWORD} }
                  redirect = [ { backend = recording, label = m } ]
                }
                """, Map.of("DB_USER", "ops", "DB_PASSWORD", "x"));

        assertThat(config.cluster("main").orElseThrow().mysql().user()).isEqualTo("ops");
        assertThat(config.cluster("main").orElseThrow().cluster().hosts()).extracting(Host::name).containsExactly("db1");
    }

    @Test
    void everyProblemIsReportedAtOnceWithPathAndLine() throws Exception {
        List<String> problems = problems("""
                handover {
                  clusters {
                    main {
                      mysql { user = "handover", conect-timeout = 3s, read-timeout = -1s, ssl-mode = maybe }
                      hosts = [
                        { name = "db1", address = "198.51.100.11", port = 3306 }
                        { name = "db1", address = "198.51.100.300", port = 70000 }
                        { name = "db3", address = "198.51.100.11", candidate = "perhaps", weight = 3 }
                        { address = "not_a host" }
                      ]
                      max-replica-lag = 5 parsecs
                      redirect = [ { backend = "recordin", label = "x" }, { label = "y" } ]
                    }
                  }
                  backends { consul { } }
                  journal = yes
                }
                """);

        String f = dir.resolve("handover.conf").toString();
        assertThat(problems).containsExactly(
                "handover.clusters.main.mysql.password: missing 'password' or 'password-file' (a password = ${?VARIABLE} whose variable is not set counts as missing) (" + f + ":4)",
                "handover.clusters.main.mysql.read-timeout: must be positive, got '-1s' (" + f + ":4)",
                "handover.clusters.main.mysql.ssl-mode: 'maybe' is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY (" + f + ":4)",
                "handover.clusters.main.mysql.conect-timeout: unknown key 'conect-timeout' (did you mean 'connect-timeout'?) (" + f + ":4)",
                "handover.clusters.main.hosts[1].port: 70000 is out of range 1-65535 (" + f + ":7)",
                "handover.clusters.main.hosts[1].name: duplicate host name 'db1' (" + f + ":7)",
                "handover.clusters.main.hosts[1].address: '198.51.100.300' is not an IP address or host name (" + f + ":7)",
                "handover.clusters.main.hosts[2].candidate: expected a boolean, got a string (" + f + ":8)",
                "handover.clusters.main.hosts[2].weight: unknown key 'weight' (" + f + ":8)",
                "handover.clusters.main.hosts[2].address: duplicate address 198.51.100.11:3306 (" + f + ":8)",
                "handover.clusters.main.hosts[3].name: missing required key 'name' (" + f + ":9)",
                "handover.clusters.main.hosts[3].address: 'not_a host' is not an IP address or host name (" + f + ":9)",
                "handover.clusters.main.max-replica-lag: '5 parsecs' is not a duration (use a number and a unit: 500ms, 5s, 1m) (" + f + ":11)",
                "handover.clusters.main.redirect[0].backend: unknown backend 'recordin' (did you mean 'recording'?); available: recording (" + f + ":12)",
                "handover.clusters.main.redirect[1].backend: missing required key 'backend' (" + f + ":12)",
                "handover.backends.consul: unknown backend 'consul'; available: recording (" + f + ":15)",
                "handover.journal: expected an object, got a string (" + f + ":16)");
    }

    @Test
    void valuesThatWouldSilentlyBecomeZeroOrClobberAnAccountAreRefused() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("""
                handover.clusters.c {
                  mysql { user = handover, password = p, connect-timeout = 500us }
                  hosts = [ { name = a, address = "198.51.100.11" } ]
                  redirect = [ { backend = recording, label = x } ]
                  switchover { max-candidate-lag = 900ms }
                  probe { database = d, user = handover }
                }
                """)).containsExactly(
                "handover.clusters.c.mysql.connect-timeout: must be at least 1ms, got '500us' (" + f + ":2)",
                "handover.clusters.c.switchover.max-candidate-lag: must be whole seconds (the servers count lag and transaction age in seconds), got 900 ms (" + f + ":5)",
                "handover.clusters.c.probe.user: 'handover' is an account handover already uses (mysql or replication): the probe would reset its password; give it an account of its own (" + f + ":6)");
    }

    @Test
    void durationsADeadlineOrTimeoutCannotMeanAreRefusedAndSayWhy() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("""
                handover.clusters.c {
                  mysql { user = u, password = p, connect-timeout = 2h, read-timeout = 61m }
                  hosts = [ { name = a, address = "198.51.100.11" } ]
                  redirect = [ { backend = recording, label = x } ]
                  deadline = 500ms
                  max-replica-lag = 1500ms
                  fence.drain-timeout = 30s
                  switchover { deadline = 2h, catch-up-timeout = 90m }
                }
                handover.clusters.d {
                  mysql { user = u, password = p }
                  hosts = [ { name = a, address = "198.51.100.12" } ]
                  redirect = [ { backend = recording, label = x } ]
                  deadline = 1000000 days
                  fence.drain-timeout = 45s
                }
                """)).containsExactly(
                "handover.clusters.c.mysql.connect-timeout: must be at most 1h, got '2h': a server that does not answer would"
                        + " stall handover that long (" + f + ":2)",
                "handover.clusters.c.mysql.read-timeout: must be at most 1h, got '61m': a server that does not answer would"
                        + " stall handover that long (" + f + ":2)",
                "handover.clusters.c.max-replica-lag: must be whole seconds (the servers count lag and transaction age in"
                        + " seconds), got 1500 ms (" + f + ":6)",
                "handover.clusters.c.deadline: must be between 1s and 1h, got '500ms': MHA waits for a hook as long as it runs,"
                        + " and in under 1 s no failover can finish (" + f + ":5)",
                "handover.clusters.c.fence.drain-timeout: must be shorter than deadline (30s), within which the fence and the"
                        + " release run; got 30s (" + f + ":7)",
                "handover.clusters.c.switchover.catch-up-timeout: must be at most 1h, got '90m': clients wait that long for the"
                        + " fenced master's writes to reach the candidate (" + f + ":8)",
                "handover.clusters.c.switchover.deadline: must be between 1s and 1h, got '2h': a switchover holds the cluster's"
                        + " lock, with MHA's hooks waiting for it, up to this long (" + f + ":8)",
                "handover.clusters.d.deadline: must be at most 24h, got '1000000 days': no timeout, wait or interval of handover"
                        + " can mean that (" + f + ":14)",
                "handover.clusters.d.fence.drain-timeout: must be shorter than deadline (30s), within which the fence and the"
                        + " release run; got 45s (" + f + ":15)");
    }

    @Test
    void missingRequiredSectionsAreNamed() throws Exception {
        assertThat(problems("handover.clusters.main { }")).containsExactly(
                "handover.clusters.main.mysql.user: missing required key 'user' (" + dir.resolve("handover.conf") + ":1)",
                "handover.clusters.main.mysql.password: missing 'password' or 'password-file' (a password = ${?VARIABLE} whose variable is not set counts as missing) (" + dir.resolve("handover.conf") + ":1)",
                "handover.clusters.main.hosts: missing required key 'hosts' (" + dir.resolve("handover.conf") + ":1)",
                "handover.clusters.main.redirect: missing required key 'redirect' (" + dir.resolve("handover.conf") + ":1)");
        assertThat(problems("handovr { }")).containsExactly(
                "handovr: unknown key 'handovr' (did you mean 'handover'?) (" + dir.resolve("handover.conf") + ":1)",
                "handover: missing required key 'handover' (" + dir.resolve("handover.conf") + ":1)");
        assertThat(problems("handover.clusters { }")).containsExactly(
                "handover.clusters: no cluster is configured (" + dir.resolve("handover.conf") + ":1)");
    }

    @Test
    void wrongTypesAreNamed() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("""
                handover.clusters.main {
                  mysql { user = [a], password = x }
                  hosts = { name = db1 }
                  redirect = [ "consul" ]
                }
                """)).containsExactly(
                "handover.clusters.main.mysql.user: expected a string, got a list (" + f + ":2)",
                "handover.clusters.main.hosts: expected a list of objects, got an object (" + f + ":3)",
                "handover.clusters.main.redirect[0]: expected an object, got a string (" + f + ":4)");
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws Exception {
        assertThat(problems("handover {\n  clusters = [\n")).singleElement().asString()
                .startsWith("(syntax): ").endsWith("(" + dir.resolve("handover.conf") + ":3)");
    }

    @Test
    void syntaxErrorsSayWhereAndWhatWithoutQuotingTheText() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        String quotes = "; a value with any of $\"{}[]:=,+#`^?!@*&\\ in it needs double quotes (" + f;
        assertThat(problems("handover.clusters.c.mysql {\n  user = u, password = hunter2 } x\n}\n")).containsExactly(
                "(syntax): expected a comma or a new line after a value" + quotes + ":2)");
        assertThat(problems("mysql {\n password = hun`ter2 }")).containsExactly(
                "(syntax): expected a comma, a new line or a closing } (a reserved character outside quotes)" + quotes + ":2)");
        assertThat(problems("password = \"hunter2\n")).containsExactly(
                "(syntax): expected a value (a quoted string runs past the end of its line)" + quotes + ":1)");
        assertThat(problems("mysql { password = hunter2 \"x\" { } }")).containsExactly(
                "(syntax): a value joins text with an object or a list" + quotes + ":1)");
        assertThat(problems("password = hun$$ter2")).containsExactly(
                "(syntax): expected a comma or a new line after a value (a $ outside quotes)" + quotes + ":1)");
        assertThat(problems("a {\n  password = hunter2 x\n  b c d }")).containsExactly(
                "(syntax): a key followed by something other than =, : or {" + quotes + ":3)");
        assertThat(problems("password = ${HUNTER_VARIABLE}")).containsExactly(
                "(substitution): Could not resolve substitution to a value: ${HUNTER_VARIABLE} (" + f + ":1)");
    }

    @Test
    void unreadablePasswordFileAndBothPasswordsAreProblems() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("""
                handover.clusters.a { mysql { user = u, password-file = nope }, hosts = [{name = x, address = "198.51.100.1"}], redirect = [{backend = recording, label = l}] }
                handover.clusters.b { mysql { user = u, password = p, password-file = nope }, hosts = [{name = x, address = "198.51.100.2"}], redirect = [{backend = recording, label = l}] }
                """)).containsExactly(
                "handover.clusters.a.mysql.password-file: cannot read '" + dir.resolve("nope") + "': no such file (" + f + ":1)",
                "handover.clusters.b.mysql.password-file: set either password or password-file, not both (" + f + ":2)");
    }

    @Test
    void missingFileIsAProblemNotAStackTrace() {
        assertThatThrownBy(() -> new ConfigLoader(registry, Map.of()).load(dir.resolve("absent.conf")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("1 problem in " + dir.resolve("absent.conf") + ":\n  (file): configuration file not found"
                        + " (give --config FILE or set HANDOVER_CONFIG) (" + dir.resolve("absent.conf") + ")");
    }

    @Test
    void addressesAreCheckedForShape() {
        assertThat(ConfigLoader.validAddress("198.51.100.11")).isTrue();
        assertThat(ConfigLoader.validAddress("db1.example.com")).isTrue();
        assertThat(ConfigLoader.validAddress("2001:db8::1")).isTrue();
        assertThat(ConfigLoader.validAddress("256.1.1.1")).isFalse();
        assertThat(ConfigLoader.validAddress("10.0.0")).isFalse();
        assertThat(ConfigLoader.validAddress("db_1")).isFalse();
        assertThat(ConfigLoader.validAddress("")).isFalse();
        assertThat(ConfigLoader.validAddress("10.0.0.0")).isTrue();
        assertThat(ConfigLoader.validAddress("::ffff:192.0.2.1")).isTrue();
    }

    @Test
    void anIpv4AddressWithLeadingZerosIsRefusedEverywhere() throws Exception {
        assertThat(ConfigLoader.validAddress("010.000.000.011")).isFalse();
        assertThat(ConfigLoader.validAddress("10.0.0.011")).isFalse();
        assertThat(ConfigLoader.validAddress("::ffff:192.0.2.01")).isFalse();
        String f = dir.resolve("handover.conf").toString();
        String zeros = "has an octet with a leading zero, which some tools read as octal and others as decimal:"
                + " write it without leading zeros";
        assertThat(problems("""
                handover.clusters.c {
                  mysql { user = u, password = p }
                  hosts = [ { name = a, address = "010.000.000.011" } ]
                  redirect = [ { backend = recording, label = x } ]
                  client-endpoint { name = "10.0.0.012", dns = ["198.51.100.021:8600"] }
                }
                """)).containsExactly(
                "handover.clusters.c.hosts[0].address: '010.000.000.011' " + zeros + " (" + f + ":3)",
                "handover.clusters.c.client-endpoint.name: '10.0.0.012' " + zeros + " (" + f + ":5)",
                "handover.clusters.c.client-endpoint.dns: in '198.51.100.021:8600': '198.51.100.021' " + zeros + " (" + f + ":5)");
    }

    @Test
    void effectiveConfigRedactsSecrets() throws Exception {
        HandoverConfig config = load(VALID, Map.of("HANDOVER_MYSQL_PASSWORD", "hunter2"));

        String rendered = EffectiveConfig.render(config);

        assertThat(rendered).doesNotContain("hunter2").doesNotContain("t0ken")
                .contains("password=\"[REDACTED]\"").contains("token=\"[REDACTED]\"").contains("198.51.100.12");
    }

    @Test
    void aBackendIsConfiguredOnceHoweverManyClustersUseIt() throws Exception {
        RecordingBackendFactory.reset();
        HandoverConfig config = load("""
                handover {
                  backends.recording { timeout = 2s }
                  clusters.a { mysql { user = u, password = p }, hosts = [ { name = a1, address = "198.51.100.11" } ]
                               redirect = [ { backend = recording, label = a } ] }
                  clusters.b { mysql { user = u, password = p }, hosts = [ { name = b1, address = "198.51.100.21" } ]
                               redirect = [ { backend = recording, label = b } ] }
                }
                """, Map.of());

        assertThat(RecordingBackendFactory.CONFIGURED).containsExactly("handover.backends.recording");
        assertThat(config.clusters().values()).extracting(cluster -> cluster.redirects().get(0).describe())
                .containsExactly("recording a", "recording b");
        assertThat(config.lock()).isEqualTo(new LockSettings(java.util.Optional.empty(), Path.of(ConfigLoader.DEFAULT_JOURNAL_DIRECTORY)));
    }

    @Test
    void aLockBackendThatCannotHoldALockOrIsNotConfiguredIsRefused() throws Exception {
        String cluster = "clusters.c { mysql { user = u, password = p }, hosts = [ { name = a, address = \"198.51.100.11\" } ]"
                + ", redirect = [ { backend = recording, label = x } ] }\n";

        assertThat(problems("handover {\n lock.backend = recording\n " + cluster + "}\n")).singleElement().asString()
                .startsWith("handover.lock.backend: backend 'recording' cannot hold a lock; use file (a consul backend, configured under handover.backends.consul, can)");
        assertThat(problems("handover {\n lock.backend = consul\n " + cluster + "}\n")).singleElement().asString()
                .startsWith("handover.lock.backend: 'consul' is no configured backend that can hold a lock; use file");
    }

    @Test
    void aRouteDestinationSharedByTwoClustersIsRefusedNamingBoth() throws Exception {
        BackendRegistry withAwsRoute = BackendRegistry.discover(List.of(RecordingBackendFactory.named("aws-route", "destination")));
        Path file = dir.resolve("handover.conf");
        Files.writeString(file, """
                handover.clusters.a {
                  mysql { user = u, password = p }
                  hosts = [ { name = db1, address = "198.51.100.11" } ]
                  redirect = [ { backend = aws-route, destination = "198.18.200.10/32" } ]
                }
                handover.clusters.b {
                  mysql { user = u, password = p }
                  hosts = [ { name = db2, address = "198.51.100.12" } ]
                  redirect = [ { backend = aws-route, destination = "198.18.200.10/32" } ]
                }
                """);

        assertThatThrownBy(() -> new ConfigLoader(withAwsRoute, Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).problems().stream().map(ConfigProblem::toString).toList())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                .containsExactly("handover.clusters.b.redirect[0].destination: route destination 198.18.200.10/32 is also the route"
                        + " destination of cluster a (handover.clusters.a.redirect[0].destination): a failover of either cluster would"
                        + " move the other's clients; give each cluster an overlay address of its own (" + file + ":9)");
    }

    @Test
    void aServiceVipOrServerSharedByTwoClustersIsRefusedNamingBoth() throws Exception {
        // consul and vip stand in for the real backends: the core reads their keys from the entries.
        BackendRegistry withConsulAndVip = BackendRegistry.discover(List.of(new RecordingBackendFactory(),
                RecordingBackendFactory.named("consul", "service"), RecordingBackendFactory.named("vip", "address")));
        Path file = dir.resolve("handover.conf");
        Files.writeString(file, """
                handover.clusters.a {
                  mysql { user = u, password = p }
                  hosts = [ { name = db1, address = "198.51.100.11" }, { name = db2, address = "2001:db8::2" } ]
                  redirect = [ { backend = consul, service = "main-master" }, { backend = vip, address = "198.51.100.50/24" } ]
                }
                handover.clusters.b {
                  mysql { user = u, password = p }
                  hosts = [ { name = db3, address = "198.51.100.11" }, { name = db4, address = "2001:DB8:0::2" } ]
                  redirect = [ { backend = consul, service = "Main-Master" }, { backend = vip, address = "198.51.100.50/25" } ]
                }
                handover.clusters.c {
                  mysql { user = u, password = p }
                  hosts = [ { name = db1, address = "198.51.100.31" }, { name = db2, address = "198.51.100.32", port = 3307 } ]
                  redirect = [ { backend = consul, service = "c-master" } ]
                }
                handover.lock.backend = file
                """);

        assertThatThrownBy(() -> new ConfigLoader(withConsulAndVip, Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).problems().stream().map(ConfigProblem::toString).toList())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                .containsExactly(
                        "handover.clusters.b.redirect[0].service: consul service 'Main-Master' is also the consul service of cluster a"
                                + " (handover.clusters.a.redirect[0].service): a failover of either cluster would move the other's"
                                + " clients; give each cluster a service of its own (" + file + ":9)",
                        "handover.clusters.b.redirect[1].address: VIP 198.51.100.50 is also the VIP of cluster a"
                                + " (handover.clusters.a.redirect[1].address): a failover of either cluster would move the other's"
                                + " clients; give each cluster a VIP of its own (" + file + ":9)",
                        "handover.clusters.b.hosts[0].address: 198.51.100.11:3306 is also host db1 of cluster a"
                                + " (handover.clusters.a.hosts[0].address): a server belongs to one cluster, or a failover of either"
                                + " would act on the other's master; remove it from one of them (" + file + ":8)",
                        "handover.clusters.b.hosts[1].address: [2001:DB8:0::2]:3306 is also host db2 of cluster a"
                                + " (handover.clusters.a.hosts[1].address): a server belongs to one cluster, or a failover of either"
                                + " would act on the other's master; remove it from one of them (" + file + ":8)",
                        "handover.clusters.c.hosts[0].name: host name 'db1' is also the name of a host of cluster a"
                                + " (handover.clusters.a.hosts[0].name): both clusters publish through consul, where a host's name is"
                                + " its Consul node: a failover of either would re-register the other's node; give the hosts unique"
                                + " names (" + file + ":13)",
                        "handover.clusters.c.hosts[1].name: host name 'db2' is also the name of a host of cluster a"
                                + " (handover.clusters.a.hosts[1].name): both clusters publish through consul, where a host's name is"
                                + " its Consul node: a failover of either would re-register the other's node; give the hosts unique"
                                + " names (" + file + ":13)");
    }

    @Test
    void clustersThatShareNothingButHostNamesOutsideConsulAreFine() throws Exception {
        HandoverConfig config = load("""
                handover.clusters.a { mysql { user = u, password = p }, hosts = [ { name = db1, address = "198.51.100.11" } ]
                                      redirect = [ { backend = recording, label = a } ] }
                handover.clusters.b { mysql { user = u, password = p }, hosts = [ { name = db1, address = "198.51.100.12" } ]
                                      redirect = [ { backend = recording, label = a } ] }
                """, Map.of());

        assertThat(config.clusters()).containsOnlyKeys("a", "b");
    }

    @Test
    void aHostNamedLikeAnotherHostsAddressIsRefused() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("""
                handover.clusters.c {
                  mysql { user = u, password = p }
                  hosts = [ { name = "198.51.100.12", address = "198.51.100.11" }, { name = db2, address = "198.51.100.12" }
                            { name = "198.51.100.13", address = "198.51.100.13" } ]
                  redirect = [ { backend = recording, label = x } ]
                }
                """)).containsExactly(
                "handover.clusters.c.hosts[0].name: host name '198.51.100.12' is the address of host db2: MHA names hosts by"
                        + " address, so this host and db2 could be taken for one another; name it differently (" + f + ":3)");
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void aPasswordFileThatIsAFifoADeviceOrHugeIsRefusedWithoutReadingIt() throws Exception {
        Path fifo = mkfifo(dir.resolve("fifo"));
        Files.write(dir.resolve("huge"), new byte[100 * 1024]);
        String f = dir.resolve("handover.conf").toString();
        String cluster = "mysql { user = u, password-file = \"%s\" }, hosts = [{name = x, address = \"198.51.100.%d\"}],"
                + " redirect = [{backend = recording, label = l}]";

        assertThat(problems("handover.clusters.a { " + cluster.formatted(fifo, 1) + " }\n"
                + "handover.clusters.b { " + cluster.formatted("/dev/zero", 2) + " }\n"
                + "handover.clusters.c { " + cluster.formatted("huge", 3) + " }\n")).containsExactly(
                "handover.clusters.a.mysql.password-file: '" + fifo + "' is not a regular file (" + f + ":1)",
                "handover.clusters.b.mysql.password-file: '/dev/zero' is not a regular file (" + f + ":2)",
                "handover.clusters.c.mysql.password-file: '" + dir.resolve("huge") + "' is larger than 64 KiB: not a secret file (" + f + ":3)");
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void aConfigurationOrIncludeThatIsNotASmallRegularFileIsRefusedWithoutReadingIt() throws Exception {
        Path fifo = mkfifo(dir.resolve("fifo.conf"));
        assertThatThrownBy(() -> new ConfigLoader(registry, Map.of()).load(fifo))
                .hasMessage("1 problem in " + fifo + ":\n  (file): '" + fifo + "' is not a regular file (" + fifo + ")");
        assertThatThrownBy(() -> new ConfigLoader(registry, Map.of()).load(Path.of("/dev/zero")))
                .hasMessage("1 problem in /dev/zero:\n  (file): '/dev/zero' is not a regular file (/dev/zero)");

        Path big = dir.resolve("big.conf");
        Files.writeString(big, "# " + "x".repeat(1024 * 1024) + "\n");
        assertThatThrownBy(() -> new ConfigLoader(registry, Map.of()).load(big))
                .hasMessage("1 problem in " + big + ":\n  (file): '" + big + "' is larger than 1 MiB (1048579 bytes):"
                        + " not a configuration file (" + big + ")");

        assertThat(problems("include \"fifo\"\nhandover.clusters { }\n")).containsExactly(
                "(include): include: '" + fifo + "' is not a regular file");
        assertThat(problems("include file(\"" + fifo + "\")\n")).containsExactly(
                "(include): include: '" + fifo + "' is not a regular file");
        assertThat(problems("include url(\"http://192.0.2.1/handover.conf\")\n")).containsExactly(
                "(include): include url(...) is not supported: every hook call would read the network; copy the file"
                        + " and include it with include file(\"...\")");
    }

    @Test
    void deepNestingIsAProblemNotAStackOverflow() throws Exception {
        String f = dir.resolve("handover.conf").toString();
        assertThat(problems("a {".repeat(20_000) + "}".repeat(20_000))).containsExactly(
                "(syntax): objects and lists are nested too deeply to read (more than the parser's stack holds);"
                        + " handover's configuration needs a handful of levels (" + f + ")");
        assertThat(problems("a = " + "[".repeat(100) + "]".repeat(100))).containsExactly(
                "(syntax): objects and lists are nested more than 64 levels deep; handover's configuration needs a handful (" + f + ":1)");
    }

    private static Path mkfifo(Path path) throws Exception {
        Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(process.waitFor()).isZero();
        return path;
    }

    private HandoverConfig load(String text, Map<String, String> environment) throws Exception {
        Path file = dir.resolve("handover.conf");
        Files.writeString(file, text);
        return new ConfigLoader(registry, environment).load(file);
    }

    private List<String> problems(String text) throws IOException {
        try {
            load(text, Map.of());
            throw new AssertionError("expected the configuration to be refused");
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
