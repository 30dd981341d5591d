package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.api.Cluster;
import io.handover.api.Host;
import io.handover.api.Problem;
import io.handover.api.RedirectState;
import io.handover.api.Targets;
import io.handover.journal.Journal;
import io.handover.journal.JournalEntry;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.Flavor;
import io.handover.mysql.HostStatus;
import io.handover.mysql.ReplicaStatus;
import io.handover.mysql.TopologyAnalyzer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three faces of {@code status}: the table, JSON and the Prometheus exposition, from one report. */
class StatusRenderingTest {

    private static final Host MASTER = new Host("mysql-primary-long-name", "198.51.100.11", 3306, true);
    private static final Host REPLICA = new Host("r2", "198.51.100.12", 3307, true);
    private static final Host GONE = new Host("mysql-replica-\"quoted\"", "198.51.100.13", 3306, true);
    private static final Cluster CLUSTER = new Cluster("main", List.of(MASTER, REPLICA, GONE));

    @TempDir
    Path journalDirectory;

    private static StatusCommand.Report report() {
        HostStatus master = new HostStatus(MASTER, null, Flavor.MARIADB, "10.11.11-MariaDB", 1, false, null, "0-1-5", null,
                Duration.ZERO);
        HostStatus replica = new HostStatus(REPLICA, null, Flavor.MARIADB, "10.11.11-MariaDB", 2, true, null, "0-1-5",
                new ReplicaStatus("198.51.100.11", 3306, "Yes", "Yes", 4L, "", "", true), Duration.ZERO);
        HostStatus gone = HostStatus.unreachable(GONE, "Communications link failure", Duration.ofMillis(5));
        ClusterStatus topology = TopologyAnalyzer.analyze(CLUSTER, List.of(master, replica, gone), Duration.ofSeconds(30));
        RedirectState state = new RedirectState(new Targets(List.of(REPLICA), List.of()),
                List.of(new RedirectState.Observation("dns 127.0.0.1:8600", new Targets(List.of(MASTER), List.of()), null)));
        StatusCommand.BackendView view = new StatusCommand.BackendView("consul", "consul service main-master", List.of("r2"),
                List.of(), List.of(), null, Optional.of(state));
        return new StatusCommand.Report(topology.withProblems(List.of(new Problem("redirect-disagrees", "sent elsewhere"))),
                List.of(view));
    }

    @Test
    void tableColumnsFitTheLongestHostName() {
        StringWriter out = new StringWriter();
        StatusCommand.print(report(), new PrintWriter(out));

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("cluster main: UNHEALTHY");
        int addressColumn = lines.get(1).indexOf("ADDRESS");
        assertThat(addressColumn).isGreaterThan("  mysql-replica-\"quoted\"".length());
        for (String row : lines.subList(2, 5)) {
            assertThat(row.indexOf("198.51.100.")).as(row).isEqualTo(addressColumn);
        }
        assertThat(lines.get(3)).containsPattern("^  r2 +198\\.51\\.100\\.12:3307 +read-only replica +198\\.51\\.100\\.11:3306 +Yes/Yes +4s");
        assertThat(out.toString()).contains("  redirect consul service main-master -> r2 (198.51.100.12:3307)")
                .contains("    - mysql-replica-\"quoted\" is unreachable: Communications link failure");
    }

    @Test
    void jsonHasASchemaVersionTheSameKeysForEveryHostAndCodedProblems() throws Exception {
        StringWriter out = new StringWriter();
        StatusJson.print(List.of(report()), new PrintWriter(out));

        JsonNode document = new ObjectMapper().readTree(out.toString());
        assertThat(document.get("schemaVersion").asInt()).isEqualTo(StatusJson.SCHEMA_VERSION);
        JsonNode cluster = document.get("clusters").get(0);
        assertThat(cluster.get("writableMasters").asInt()).isEqualTo(1);
        JsonNode hosts = cluster.get("hosts");
        assertThat(keys(hosts.get(2))).isEqualTo(keys(hosts.get(0))).isEqualTo(keys(hosts.get(1)));
        assertThat(hosts.get(2).get("version").isNull()).isTrue();
        assertThat(hosts.get(2).get("readOnly").isNull()).isTrue();
        assertThat(hosts.get(1).get("replication").get("lagSeconds").asInt()).isEqualTo(4);
        assertThat(cluster.get("problems").get(0).get("code").asText()).isEqualTo("host-unreachable");
        assertThat(cluster.get("problems").get(0).get("text").asText()).startsWith("mysql-replica-\"quoted\" is unreachable");
        assertThat(cluster.get("problems").get(1).get("code").asText()).isEqualTo("redirect-disagrees");
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            keys.add(names.next());
        }
        return keys;
    }

    @Test
    void prometheusExpositionHasEachMetricOnceWithHelpTypeAndEscapedLabels() throws Exception {
        Journal journal = new Journal(journalDirectory);
        journal.append(new JournalEntry(Instant.ofEpochSecond(1_700_000_000), "switchover", "main", null, "switch", "ok", 5, ""));
        journal.append(new JournalEntry(Instant.ofEpochSecond(1_700_000_100), "register", "main", null, "register", "failed", 5,
                "secret-free detail"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        StatusPrometheus.print(List.of(report()), journal, new PrintWriter(out), new PrintWriter(err));

        String text = out.toString();
        assertThat(text).contains(
                "# HELP handover_cluster_healthy ",
                "# TYPE handover_cluster_healthy gauge\nhandover_cluster_healthy{cluster=\"main\"} 0\n",
                "handover_cluster_writable_masters{cluster=\"main\"} 1\n",
                "handover_cluster_problems{cluster=\"main\",code=\"host-unreachable\"} 1\n",
                "handover_host_reachable{cluster=\"main\",host=\"mysql-replica-\\\"quoted\\\"\",endpoint=\"198.51.100.13:3306\"} 0\n",
                "handover_host_read_only{cluster=\"main\",host=\"r2\"} 1\n",
                "handover_host_replica_lag_seconds{cluster=\"main\",host=\"r2\"} 4\n",
                "handover_redirect_target{cluster=\"main\",backend=\"consul\",redirect=\"consul service main-master\",target=\"r2\"} 1\n",
                "handover_redirect_agrees{cluster=\"main\",backend=\"consul\",redirect=\"consul service main-master\"} 0\n",
                "handover_journal_last_step_timestamp_seconds{cluster=\"main\",outcome=\"failed\"} 1.7000001E9\n",
                "handover_journal_last_step_timestamp_seconds{cluster=\"main\",outcome=\"ok\"} 1.7E9\n");
        assertThat(text).doesNotContain("Communications link failure");
        // every sample line belongs to the metric whose HELP and TYPE came last, and each metric appears once
        String current = null;
        Set<String> seen = new TreeSet<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                current = line.split(" ")[2];
                assertThat(seen.add(current)).as("%s declared twice", current).isTrue();
            } else if (!line.startsWith("# HELP ")) {
                assertThat(line).startsWith(current + "{").matches("[a-z_]+\\{([a-z]+=\"([^\"\\\\]|\\\\.)*\",?)+\\} [0-9.E]+");
            }
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonWithAnotherFormatIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Handover.run(new String[] {"status", "--json", "--format", "prometheus"}, new PrintWriter(out, true),
                new PrintWriter(err, true), java.util.Map.of("HANDOVER_CONFIG", journalDirectory.resolve("absent.conf").toString()));

        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: --json means --format json; give --format prometheus alone\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        assertThat(StatusPrometheus.escape("a\\b\"c\nd")).isEqualTo("a\\\\b\\\"c\\nd");
    }
}
