package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.config.RecordingBackendFactory;
import io.handover.mysql.DrippingServer;
import io.handover.mysql.SilentServers;
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
 * Commands that ask MySQL servers which accept the connection and never answer: each ends by the
 * cluster's deadline (2 s), not by the read-timeout (10 s) per look at the hosts.
 */
class StalledHostsTest {

    private static final Duration BOUND = Duration.ofMillis(3500);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private SilentServers servers;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        RecordingBackendFactory.reset();
        RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("127.0.0.1")));
        servers = new SilentServers(2);
        config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  lock.backend = file
                  clusters.main {
                    mysql { user = handover, password = Pa55-word, read-timeout = 10s }
                    hosts = [ { name = db1, address = "127.0.0.1", port = %d }, { name = db2, address = "127.0.0.1", port = %d } ]
                    redirect = [ { backend = recording, label = primary } ]
                    deadline = 2s
                  }
                }
                """.formatted(servers.port(0), servers.port(1)));
    }

    @Test
    void registerIsRefusedByTheDeadlineAndMovesNoClient() throws Exception {
        assertThat(runInTime("register", "--cluster=main")).isEqualTo(ExitCode.REFUSED);
        assertThat(err.toString()).startsWith("handover: refused: cluster main has 0 writable hosts").hasLineCount(1)
                .contains("db1 is unreachable: no answer within ", "db2 is unreachable: ").doesNotContain("Pa55-word");
        assertThat(RecordingBackendFactory.TARGETS.get("primary")).containsExactly("127.0.0.1");
    }

    @Test
    void statusNamesTheSilentHostsByTheDeadline() throws Exception {
        assertThat(runInTime("status", "--cluster=main")).isEqualTo(ExitCode.FAILED);
        assertThat(out.toString()).contains("db1 is unreachable: no answer within ", "db2 is unreachable: ").doesNotContain("Pa55-word");
    }

    /** The fence's login to an orig master that drips its greeting: before, only the hook watchdog ended it, 5 s past the deadline. */
    @Test
    void anOnlineChangesFenceOfAnOrigMasterThatDripsItsGreetingEndsByTheDeadline() throws Exception {
        try (DrippingServer orig = new DrippingServer()) {
            Files.writeString(config, Files.readString(config).replace("port = " + servers.port(0), "port = " + orig.port()));
            int code = runInTime("mha-online-change", "--command=stop", "--orig_master_host=db1", "--orig_master_ip=127.0.0.1",
                    "--orig_master_port=" + orig.port(), "--new_master_host=db2", "--new_master_ip=127.0.0.1",
                    "--new_master_port=" + servers.port(1), "--orig_master_user=mha", "--orig_master_password=Pa55-word");

            assertThat(code).isEqualTo(ExitCode.FAILED);
            assertThat(err.toString()).isEqualTo("handover: cannot fence the orig master db1 (127.0.0.1:" + orig.port()
                    + "): no login to db1 (127.0.0.1:" + orig.port() + ") by the deadline: the server took the connection but did"
                    + " not finish the handshake in time" + System.lineSeparator());
            assertThat(out.toString()).doesNotContain("Pa55-word");
            assertThat(RecordingBackendFactory.TARGETS.get("primary")).containsExactly("127.0.0.1");
        }
    }

    /** Runs the command line, and checks that it ended by the bound. */
    private int runInTime(String... args) throws Exception {
        long start = System.nanoTime();
        int code = run(args);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(out + "" + err).isLessThan(BOUND);
        return code;
    }

    private int run(String... args) throws Exception {
        try (SilentServers silent = servers) {
            List<String> all = new ArrayList<>(List.of(args));
            all.add("--config=" + config);
            return Handover.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        }
    }
}
