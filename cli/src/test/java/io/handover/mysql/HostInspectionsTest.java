package io.handover.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.MysqlSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostInspectionsTest {

    static final MysqlSettings FAST =
            new MysqlSettings("u", Secret.of("p"), Duration.ofMillis(300), Duration.ofMillis(300), "DISABLED");

    @Test
    void eachServerIsAskedOnceAndNoMoreThanTheBoundAtATime() throws Exception {
        try (SilentServers servers = new SilentServers(9); HostInspections inspections = new HostInspections(3)) {
            // Connector/J's first connection loads its classes for a second or more: not while we count
            new HostInspector(FAST).inspect(new Host("warm-up", "127.0.0.1", servers.port(8), true));
            List<Host> asked = new ArrayList<>();
            for (int cluster = 0; cluster < 5; cluster++) {
                for (int i = 0; i < 8; i++) {
                    // each cluster names the servers its own way
                    Host host = new Host("c" + cluster + "-db" + i, "127.0.0.1", servers.port(i), true);
                    inspections.start(host, FAST);
                    asked.add(host);
                }
            }
            for (Host host : asked) {
                HostStatus status = inspections.await(host, FAST);
                assertThat(status.host()).isEqualTo(host);
                assertThat(status.reachable()).isFalse();
            }

            assertThat(inspections.asked()).isEqualTo(8);
            for (int i = 0; i < 8; i++) {
                assertThat(servers.accepted(i)).as("connections to server %d", i).isEqualTo(1);
            }
            // every connection waits 300 ms for a greeting that never comes: those accepted within 250 ms were open at once
            assertThat(servers.mostAcceptedWithin(Duration.ofMillis(250))).isBetween(1, 3);
        }
    }

    @Test
    void aServerAskedWithAnotherLoginIsAskedAgain() throws Exception {
        MysqlSettings other = new MysqlSettings("v", Secret.of("p"), FAST.connectTimeout(), FAST.readTimeout(), "DISABLED");
        try (SilentServers servers = new SilentServers(1); HostInspections inspections = new HostInspections(2)) {
            Host host = new Host("db1", "127.0.0.1", servers.port(0), true);
            inspections.await(host, FAST);
            inspections.await(host, other);
            inspections.await(host, FAST);

            assertThat(servers.accepted(0)).isEqualTo(2);
        }
    }
}
