package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.config.BackendRegistry;
import io.handover.config.ConfigLoader;
import io.handover.config.HandoverConfig;
import io.handover.config.RecordingBackendFactory;
import io.handover.lock.ClusterLocks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switchover and probe command lines, and the failover lock they share with the MHA hooks.
 * No MySQL here: everything below is decided before a server is asked (the real runs are in SwitchoverIT).
 */
class SwitchoverCommandTest {

    @TempDir
    Path dir;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        RecordingBackendFactory.reset();
        config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = x, connect-timeout = 200ms }
                    # Loopback, closed port: refused at once, and never a lab's server.
                    hosts = [
                      { name = db1, address = "127.0.0.1", port = 9 }
                      { name = db2, address = "127.0.0.2", port = 9 }
                    ]
                    redirect = [ { backend = recording, label = primary } ]
                    deadline = 2s   # a hook waits up to half of it for a held lock
                  }
                }
                """);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return Handover.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
    }

    /** Takes the cluster's lock the way another handover process would; the holder is named from {@code command}. */
    private ClusterLock.Lease holdLock(String command) throws Exception {
        HandoverConfig loaded = new ConfigLoader(BackendRegistry.discover(List.of(new RecordingBackendFactory())), Map.of()).load(config);
        return ClusterLocks.acquire(ClusterLocks.of(loaded, loaded.cluster("main").orElseThrow()), "main", command,
                Deadline.after(Duration.ofSeconds(5)), Duration.ZERO, null);
    }

    private String since() throws Exception {
        return Files.readAllLines(dir.resolve("journal/main.lock")).get(1);
    }

    @Test
    void heldLockRefusesASwitchoverNamingHolderAndSinceAndJournalsIt() throws Exception {
        try (ClusterLock.Lease lease = holdLock("handover switchover --cluster main --to db2")) {
            assertThat(run("switchover", "--cluster", "main", "--to", "db2", "--yes")).isEqualTo(ExitCode.REFUSED);

            assertThat(err.toString()).isEqualTo("handover: refused: the failover lock of cluster main is held by "
                    + ClusterLocks.owner("handover switchover --cluster main --to db2") + " since " + since()
                    + " (lock file " + dir.resolve("journal/main.lock") + "); a lock file frees itself when its holder's process ends\n");
        }
        assertThat(Files.readString(dir.resolve("journal/main.jsonl")))
                .contains("\"command\":\"switchover\"", "\"step\":\"lock\"", "\"outcome\":\"refused\"");
    }

    @Test
    void mhaHooksTakeTheSameLockButStatusDoesNotNeedIt() throws Exception {
        RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("127.0.0.1")));
        String[] stop = {"mha-hook", "--command=stop", "--orig_master_host=127.0.0.1", "--orig_master_ip=127.0.0.1",
            "--orig_master_port=9"};
        try (ClusterLock.Lease lease = holdLock("handover switchover --cluster main")) {
            assertThat(run(stop)).isEqualTo(ExitCode.REFUSED);
            assertThat(err.toString()).isEqualTo("handover: refused: the failover lock of cluster main is held by "
                    + ClusterLocks.owner("handover switchover --cluster main") + " since " + since()
                    + " (lock file " + dir.resolve("journal/main.lock") + "); a lock file frees itself when its holder's process ends\n");
            assertThat(RecordingBackendFactory.CALLS).isEmpty();

            assertThat(run("mha-hook", "--command=status", "--orig_master_ip=127.0.0.1", "--orig_master_port=9")).isZero();
        }

        assertThat(run(stop)).isZero();
        assertThat(RecordingBackendFactory.CALLS).containsExactly("primary release db1 (unreachable)");
        // The hook gave the lock back: a switchover can take it now.
        try (ClusterLock.Lease lease = holdLock("carol")) {
            assertThat(lease).isNotNull();
        }
    }

    @Test
    void hostsMustBelongToTheCluster() {
        assertThat(run("switchover", "--cluster", "main", "--to", "db9", "--yes")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: no host 'db9' in cluster main; hosts: db1, db2\n");

        assertThat(run("switchover", "--cluster", "main", "--to", "db2", "--exclude", "db2", "--yes")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: db2 cannot be both --to and --exclude\n");
    }

    @Test
    void finishNeedsTheNewMaster() {
        assertThat(run("switchover", "--cluster", "main", "--finish")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: --finish needs --to HOST: the master that was promoted\n");
    }

    @Test
    void unreachableHostsRefuseAndChangeNothing() {
        assertThat(run("switchover", "--cluster", "main", "--to", "db2", "--yes")).isEqualTo(ExitCode.REFUSED);

        String refused = "Communications link failure (ConnectException: Connection refused)";
        assertThat(err.toString()).isEqualTo("handover: refused: db1 is unreachable: " + refused + " (give --exclude db1 to switch"
                + " without it); db2 is unreachable: " + refused + " (give --exclude db2 to switch without it);"
                + " no host is writable (cluster main; nothing was changed)\n");
        assertThat(RecordingBackendFactory.CALLS).isEmpty();
    }

    @Test
    void probeNeedsAClientEndpoint() {
        assertThat(run("probe", "--cluster", "main", "--duration", "1s")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).isEqualTo("handover: cluster main has no probe settings: add handover.clusters.main.probe"
                + " { database = \"...\" } (an existing database the probe may create its table in)\n");

        assertThat(run("probe", "--cluster", "main", "--duration", "soon")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("handover: Invalid value for option '--duration': 'soon' is not a duration");
    }

    @Test
    void helpListsTheNewCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("switchover", "probe");
    }
}
