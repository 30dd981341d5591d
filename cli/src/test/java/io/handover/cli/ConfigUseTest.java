package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.config.RecordingBackendFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One broken cluster must not stop every cluster: each command is refused only for problems in
 * what it uses (its cluster, and the secrets it sends), through the real command line.
 */
class ConfigUseTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path config;

    private static final String[] START = {"--command=start", "--orig_master_host=198.51.100.11",
        "--orig_master_ip=198.51.100.11", "--orig_master_port=3306", "--new_master_host=198.51.100.12",
        "--new_master_ip=198.51.100.12", "--new_master_port=3306"};

    /** Cluster other, with nothing wrong. */
    private static final String HEALTHY_OTHER = """
            mysql { user = handover, password = y }
            hosts = [ { name = db9, address = "198.51.100.19" } ]""";

    @BeforeEach
    void setUp() {
        RecordingBackendFactory.reset();
        RecordingBackendFactory.TARGETS.put("main", new ArrayList<>(List.of("198.51.100.11")));
    }

    /** Cluster main (hosts db1, db2) and cluster other, each with the blocks given. */
    private void write(String mainMysql, String other) throws Exception {
        config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, %s }
                    hosts = [ { name = db1, address = "198.51.100.11" }, { name = db2, address = "198.51.100.12" } ]
                    redirect = [ { backend = recording, label = main } ]
                  }
                  clusters.other {
                    %s
                    redirect = [ { backend = recording, label = other } ]
                  }
                }
                """.formatted(mainMysql, other));
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> line = new ArrayList<>(List.of("--config=" + config));
        line.addAll(List.of(args));
        return Handover.run(line.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
    }

    private int hook(String... mhaArgs) {
        List<String> line = new ArrayList<>(List.of("mha-hook"));
        line.addAll(List.of(mhaArgs));
        return run(line.toArray(String[]::new));
    }

    @Test
    void anotherClustersUnreadablePasswordFileStopsNeitherThisClustersHookNorTheJournal() throws Exception {
        write("password = x", """
                mysql { user = handover, password-file = /nonexistent/other.password }
                hosts = [ { name = db9, address = "198.51.100.19" } ]""");

        assertThat(hook(START)).as(err.toString()).isZero();
        assertThat(RecordingBackendFactory.TARGETS.get("main")).containsExactly("198.51.100.12");
        assertThat(run("journal")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("main", "activate");
        // a command on the broken cluster, and config check, still say what is wrong
        assertThat(run("register", "--cluster", "other")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("handover.clusters.other.mysql.password-file: cannot read '/nonexistent/other.password'");
        assertThat(run("config", "check")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("handover.clusters.other.mysql.password-file");
    }

    @Test
    void aHookWhoseBackendsDoNotLogInToMysqlNeedsNoMysqlPasswordButStatusDoes() throws Exception {
        write("password-file = /nonexistent/main.password", HEALTHY_OTHER);

        assertThat(hook(START)).as(err.toString()).isZero();
        assertThat(run("journal", "--cluster", "main")).as(err.toString()).isZero();

        assertThat(run("status", "--cluster", "main")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("handover.clusters.main.mysql.password-file: cannot read '/nonexistent/main.password'");
        // an online change fences with the configured login unless MHA passes its own password
        assertThat(run("mha-online-change", "--command=stop", "--orig_master_host=198.51.100.11",
                "--orig_master_ip=198.51.100.11", "--orig_master_port=3306")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("handover.clusters.main.mysql.password-file");
    }

    @Test
    void anUnsetPasswordVariableStopsOnlyWhatLogsIn() throws Exception {
        write("password = ${?UNSET_PASSWORD}", HEALTHY_OTHER);

        assertThat(hook(START)).as(err.toString()).isZero();
        assertThat(run("status", "--cluster", "main")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("handover.clusters.main.mysql.password: missing 'password' or 'password-file'");
    }

    @Test
    void anotherClustersBrokenBlockIsNotThisClustersProblemButASharedServerIs() throws Exception {
        write("password = x", """
                mysql { user = handover, password = y }
                hosts = [ { name = db9, address = "198.51.100.19", port = 99999 } ]""");
        assertThat(hook(START)).as(err.toString()).isZero();

        RecordingBackendFactory.TARGETS.put("main", new ArrayList<>(List.of("198.51.100.11")));
        write("password = x", """
                mysql { user = handover, password = y }
                hosts = [ { name = db9, address = "198.51.100.12" } ]""");
        // other claims main's db2: a failover of either would act on the other's server
        assertThat(hook(START)).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("handover.clusters.other.hosts[0].address", "of cluster main");
        assertThat(RecordingBackendFactory.TARGETS.get("main")).containsExactly("198.51.100.11");
    }
}
