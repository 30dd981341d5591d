package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Cluster;
import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.ClusterConfig;
import io.handover.config.MysqlSettings;
import io.handover.config.SwitchoverSettings;
import io.handover.mysql.HostInspector;
import io.handover.mysql.SilentServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    private static final MysqlSettings FAST =
            new MysqlSettings("u", Secret.of("p"), Duration.ofMillis(300), Duration.ofMillis(300), "DISABLED");

    @Test
    void manyClustersOfTheSameServersAskEachServerOnceAndFewAtATime() throws Exception {
        try (SilentServers servers = new SilentServers(4)) {
            // Connector/J's first connection loads its classes, seconds on a busy machine: not against the hard stop
            new HostInspector(FAST).inspect(new Host("warm-up", "127.0.0.1", servers.port(3), true));
            List<ClusterConfig> clusters = new ArrayList<>();
            for (int c = 0; c < 40; c++) {
                List<Host> hosts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    hosts.add(new Host("db" + i, "127.0.0.1", servers.port(i), true));
                }
                clusters.add(new ClusterConfig(new Cluster("c" + c, hosts), FAST, Duration.ofSeconds(30), List.of(),
                        Duration.ofSeconds(30), false, Duration.ofSeconds(2), Optional.empty(), SwitchoverSettings.DEFAULTS,
                        Optional.empty(), Optional.empty()));
            }

            List<StatusCommand.Report> reports = StatusCommand.reports(clusters);

            assertThat(reports).extracting(report -> report.topology().cluster())
                    .containsExactlyElementsOf(clusters.stream().map(ClusterConfig::name).toList());
            assertThat(reports).allSatisfy(report -> assertThat(report.topology().hosts()).hasSize(3)
                    .allSatisfy(host -> assertThat(host.reachable()).isFalse()));
            for (int i = 0; i < 3; i++) {
                assertThat(servers.accepted(i)).as("connections to server %d", i).isEqualTo(1);
            }
        }
    }
}
