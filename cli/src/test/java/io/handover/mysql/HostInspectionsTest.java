package io.handover.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Deadline;
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
    /** A deadline that no test here reaches. */
    static final Deadline LATER = Deadline.after(Duration.ofMinutes(10));

    @Test
    void eachServerIsAskedOnceAndNoMoreThanTheBoundAtATime() throws Exception {
        // servers that hold each connection until the test hangs up: a client waits for them, not for its timeout
        MysqlSettings patient = new MysqlSettings("u", Secret.of("p"), Duration.ofSeconds(20), Duration.ofSeconds(20), "DISABLED");
        try (SilentServers servers = new SilentServers(9); HostInspections inspections = new HostInspections(3)) {
            // Connector/J's first connection loads its classes for a second or more: not while we count
            new HostInspector(FAST).inspect(new Host("warm-up", "127.0.0.1", servers.port(8), true));
            List<Host> asked = new ArrayList<>();
            for (int cluster = 0; cluster < 5; cluster++) {
                for (int i = 0; i < 8; i++) {
                    // each cluster names the servers its own way
                    Host host = new Host("c" + cluster + "-db" + i, "127.0.0.1", servers.port(i), true);
                    inspections.start(host, patient, LATER);
                    asked.add(host);
                }
            }
            // 8 servers, at most 3 at a time: 3, 3, then 2 open together, never a 4th while 3 wait
            for (int expected : new int[] {3, 3, 2}) {
                awaitOpen(servers, expected);
                Thread.sleep(300); // room for a connection beyond the bound to arrive (it must not)
                assertThat(servers.open()).as("connections open at once").isEqualTo(expected);
                servers.hangUpAll();
            }
            for (Host host : asked) {
                HostStatus status = inspections.await(host, patient, LATER);
                assertThat(status.host()).isEqualTo(host);
                assertThat(status.reachable()).isFalse();
            }

            assertThat(inspections.asked()).isEqualTo(8);
            for (int i = 0; i < 8; i++) {
                assertThat(servers.accepted(i)).as("connections to server %d", i).isEqualTo(1);
            }
        }
    }

    private static void awaitOpen(SilentServers servers, int expected) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (servers.open() < expected && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(servers.open()).as("connections open at once").isEqualTo(expected);
    }

    @Test
    void aServerAskedWithAnotherLoginIsAskedAgain() throws Exception {
        MysqlSettings other = new MysqlSettings("v", Secret.of("p"), FAST.connectTimeout(), FAST.readTimeout(), "DISABLED");
        try (SilentServers servers = new SilentServers(1); HostInspections inspections = new HostInspections(2)) {
            Host host = new Host("db1", "127.0.0.1", servers.port(0), true);
            inspections.await(host, FAST, LATER);
            inspections.await(host, other, LATER);
            inspections.await(host, FAST, LATER);

            assertThat(servers.accepted(0)).isEqualTo(2);
        }
    }

    /** Read-timeout 5 s: each inspection waited that long for a silent server, past a 1 s deadline. */
    @Test
    void aSilentServerIsUnreachableByTheDeadlineNotByTheReadTimeout() throws Exception {
        MysqlSettings slow = new MysqlSettings("u", Secret.of("p"), Duration.ofSeconds(5), Duration.ofSeconds(5), "DISABLED");
        try (SilentServers servers = new SilentServers(1); HostInspections inspections = new HostInspections(1)) {
            Host host = new Host("db1", "127.0.0.1", servers.port(0), true);
            long start = System.nanoTime();
            HostStatus status = inspections.await(host, slow, Deadline.after(Duration.ofSeconds(1)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(status.reachable()).isFalse();
            assertThat(took).as(status.error()).isLessThan(Duration.ofMillis(2500));
        }
    }

    /**
     * A server that answers a byte a second never lets a socket read time out: only the deadline
     * ends the wait. Without it the hard stop (connect + 3 reads + 1 s) held the caller 5 s here.
     */
    @Test
    void aServerThatDripsItsAnswerIsUnreachableByTheDeadline() throws Exception {
        try (DrippingServer server = new DrippingServer(); HostInspections inspections = new HostInspections(1)) {
            Host host = new Host("db1", "127.0.0.1", server.port(), true);
            MysqlSettings settings = new MysqlSettings("u", Secret.of("p"), Duration.ofSeconds(1), Duration.ofSeconds(1), "DISABLED");
            long start = System.nanoTime();
            HostStatus status = inspections.await(host, settings, Deadline.after(Duration.ofSeconds(1)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(status.reachable()).isFalse();
            assertThat(status.error()).startsWith("no answer within ").endsWith(", by the deadline");
            assertThat(took).isLessThan(Duration.ofMillis(2500));
        }
    }
}
