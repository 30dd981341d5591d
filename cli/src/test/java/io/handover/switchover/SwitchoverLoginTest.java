package io.handover.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.BackendRegistry;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigLoader;
import io.handover.config.RecordingBackendFactory;
import io.handover.flow.StepReporter;
import io.handover.mysql.Flavor;
import io.handover.mysql.HostStatus;
import io.handover.mysql.SilentServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The switchover's logins before the fence, to servers that went silent after the checks: nothing changes, by the deadline. */
class SwitchoverLoginTest {

    @TempDir
    Path dir;

    @Test
    void aMasterSilentSinceTheChecksEndsTheSwitchoverByItsDeadlineAndChangesNothing() throws Exception {
        RecordingBackendFactory.reset();
        RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("127.0.0.1")));
        try (SilentServers servers = new SilentServers(2)) {
            Path config = dir.resolve("handover.conf");
            Files.writeString(config, """
                    handover {
                      journal.directory = journal
                      clusters.main {
                        mysql { user = handover, password = x, read-timeout = 10s }
                        hosts = [ { name = db1, address = "127.0.0.1", port = %d }, { name = db2, address = "127.0.0.1", port = %d } ]
                        redirect = [ { backend = recording, label = primary } ]
                      }
                    }
                    """.formatted(servers.port(0), servers.port(1)));
            ClusterConfig cluster = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(config).cluster("main").orElseThrow();
            StringWriter out = new StringWriter();
            StepReporter reporter = new StepReporter("switchover", "main", null, new PrintWriter(out, true), new PrintWriter(out, true));
            Switchover switchover = new Switchover(cluster, reporter, progress -> { }, new Timeline());
            Plan plan = new Plan("main", answered(cluster.cluster().hosts().get(0)), answered(cluster.cluster().hosts().get(1)),
                    List.of(), List.of(), List.of());

            long start = System.nanoTime();
            SwitchoverFailure failure = catchThrowableOfType(() -> switchover.run(plan, Deadline.after(Duration.ofSeconds(2))),
                    SwitchoverFailure.class);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // the read-timeout alone ended it before: 10 s
            assertThat(took).isLessThan(Duration.ofMillis(3500));
            assertThat(failure.getMessage()).startsWith("cannot connect to db1 (127.0.0.1:" + servers.port(0) + "): no login to db1")
                    .endsWith("; nothing was changed").doesNotContain("\n");
            assertThat(failure.promoted()).isFalse();
            assertThat(out.toString()).doesNotContain("fence");
            assertThat(RecordingBackendFactory.TARGETS.get("primary")).containsExactly("127.0.0.1");
        }
    }

    /** What the checks saw: a MariaDB server that answered. */
    private static HostStatus answered(Host host) {
        return new HostStatus(host, null, Flavor.MARIADB, "10.11.6-MariaDB", 1, false, null, "0-1-1", null, Duration.ZERO);
    }
}
