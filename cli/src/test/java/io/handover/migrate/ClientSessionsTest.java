package io.handover.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Cluster;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.Secret;
import io.handover.api.Verification;
import io.handover.config.ClusterConfig;
import io.handover.config.MysqlSettings;
import io.handover.config.RedirectEntry;
import io.handover.config.SwitchoverSettings;
import io.handover.flow.RefusedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientSessionsTest {

    private static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    private static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);

    /** A redirect that only names itself and its client address: classification asks nothing else. */
    private record Named(String describe, Optional<String> clientAddress) implements Redirect {
        @Override
        public RedirectState current(Deadline deadline) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String release(Host oldMaster, Reachability reachability, Deadline deadline) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String activate(Host newMaster, Deadline deadline) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Verification verify(Host newMaster, Deadline deadline) {
            throw new UnsupportedOperationException();
        }
    }

    private static final ClusterConfig CLUSTER = new ClusterConfig(new Cluster("main", List.of(DB1, DB2)),
            new MysqlSettings("handover", Secret.of("x"), Duration.ofSeconds(2), Duration.ofSeconds(5), "PREFERRED"),
            Duration.ofSeconds(30), List.of(
                    new RedirectEntry("consul", new Named("consul service main-master", Optional.empty()), true),
                    new RedirectEntry("vip", new Named("vip 198.51.100.50", Optional.of("198.51.100.50")), false)),
            Duration.ofSeconds(30), true, Duration.ofSeconds(2), Optional.empty(), SwitchoverSettings.DEFAULTS, Optional.empty(),
            Optional.empty());

    private static final String SS = """
            0      0      198.51.100.11:3306 198.51.100.12:50770
            0      0      [::ffff:198.51.100.50]:3306 [::ffff:198.51.100.31]:41000
            0      0      198.51.100.50:3306 198.51.100.31:41002
            0      0      198.51.100.11:3306 198.51.100.32:41004
            0      0      198.51.100.11:3306 198.51.100.5:41006
            0      0      10.9.9.9:3306 198.51.100.33:41008
            """;

    private static final Map<String, ClientSessions.Session> PROCESS_LIST = Map.of(
            "198.51.100.12:50770", new ClientSessions.Session("repl", "Binlog Dump"),
            "198.51.100.31:41000", new ClientSessions.Session("app", "Sleep"),
            // 41002: logging in, not in the process list yet: still an application session
            "198.51.100.32:41004", new ClientSessions.Session("app", "Query"),
            "198.51.100.5:41006", new ClientSessions.Session("handover", "Query"),
            "198.51.100.33:41008", new ClientSessions.Session("app", "Sleep"));

    @Test
    void everySessionIsCountedOnThePathOfItsLocalAddressAndHandoverAndReplicationApart() {
        ClientSessions.Report report = ClientSessions.classify(CLUSTER, DB1, ClientSessions.parseSockets(SS), PROCESS_LIST);

        assertThat(report.paths()).extracting(ClientSessions.PathSessions::backend, ClientSessions.PathSessions::localAddress,
                path -> path.applications().sessions()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("consul", "198.51.100.11", 1),
                        org.assertj.core.groups.Tuple.tuple("vip", "198.51.100.50", 2),
                        org.assertj.core.groups.Tuple.tuple(null, "10.9.9.9", 1));
        assertThat(report.applicationSessions("vip")).isEqualTo(2);
        assertThat(report.paths().get(1).applications().clients()).containsExactly(Map.entry("198.51.100.31", 2));
        assertThat(report.handover().clients()).containsExactly(Map.entry("198.51.100.5", 1));
        assertThat(report.replication().clients()).containsExactly(Map.entry("db2", 1));

        String text = MigrationText.clients(report);
        assertThat(text).contains("vip 198.51.100.50 (vip)", "198.51.100.31 (2)", "handover's account: 1 session(s) from 198.51.100.5",
                "replication: 1 session(s) from db2 (1)", "address 10.9.9.9 (no redirect sends clients there)");
    }

    @Test
    void retireIsRefusedWhileApplicationSessionsComeInOnThePathAndNamesTheirHosts() {
        ClientSessions.Report report = ClientSessions.classify(CLUSTER, DB1, ClientSessions.parseSockets(SS), PROCESS_LIST);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Retirement.refuseWhileUsed(report, CLUSTER.redirects().get(1)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("2 application session(s) still come in on vip 198.51.100.50")
                .hasMessageContaining("198.51.100.31 (2)").hasMessageContaining("--force");
        ClientSessions.Report drained = ClientSessions.classify(CLUSTER, DB1,
                ClientSessions.parseSockets("0 0 198.51.100.11:3306 198.51.100.12:50770\n"), PROCESS_LIST);
        Retirement.refuseWhileUsed(drained, CLUSTER.redirects().get(1));
        assertThat(drained.applicationSessions("vip")).isZero();
    }

    @Test
    void thePrimaryOrOnlyRedirectIsNeverRetired() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Retirement.entryOf(CLUSTER, "consul"))
                .isInstanceOf(RefusedException.class).hasMessageContaining("primary redirect");
        assertThat(Retirement.entryOf(CLUSTER, "vip")).contains(1);
        assertThat(Retirement.entryOf(CLUSTER, "aws-route")).isEmpty();
    }
}
