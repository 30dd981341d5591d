package io.handover.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Cluster;
import io.handover.api.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyAnalyzerTest {

    private static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    private static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    private static final Host DB3 = new Host("db3", "198.51.100.13", 3306, true);
    private static final Cluster CLUSTER = new Cluster("main", List.of(DB1, DB2, DB3));
    private static final Duration MAX_LAG = Duration.ofSeconds(30);

    private static HostStatus master(Host host) {
        return new HostStatus(host, null, Flavor.MARIADB, "10.11.11-MariaDB", 1, false, null, "0-1-5", null, Duration.ZERO);
    }

    private static HostStatus replica(Host host, ReplicaStatus replica) {
        return new HostStatus(host, null, Flavor.MARIADB, "10.11.11-MariaDB", 2, true, null, "0-1-5", replica, Duration.ZERO);
    }

    private static ReplicaStatus replicating(String source, Long lag) {
        return new ReplicaStatus(source, 3306, "Yes", "Yes", lag, "", "", true);
    }

    @Test
    void oneWritableMasterWithRunningReplicasIsHealthy() {
        ClusterStatus status = TopologyAnalyzer.analyze(CLUSTER, List.of(
                master(DB1), replica(DB2, replicating("198.51.100.11", 0L)), replica(DB3, replicating("db1", 1L))), MAX_LAG);

        assertThat(status.healthy()).isTrue();
        assertThat(status.master()).map(HostStatus::host).contains(DB1);
    }

    @Test
    void twoWritableMastersAreFlagged() {
        HostStatus writableReplica = new HostStatus(DB2, null, Flavor.MARIADB, "10.11", 2, false, null, "", replicating("198.51.100.11", 0L), Duration.ZERO);

        ClusterStatus status = TopologyAnalyzer.analyze(CLUSTER, List.of(
                master(DB1), writableReplica, replica(DB3, replicating("198.51.100.11", 0L))), MAX_LAG);

        assertThat(status.problems()).containsExactly("2 writable masters: db1, db2"
                + " (SET GLOBAL read_only = ON on each one that must not be master; docs/OPERATIONS.md, Runbooks)");
        assertThat(status.master()).isEmpty();
        assertThat(writableReplica.role()).isEqualTo("WRITABLE replica");
    }

    @Test
    void noWritableMasterIsFlagged() {
        ClusterStatus status = TopologyAnalyzer.analyze(CLUSTER, List.of(
                replica(DB1, replicating("198.51.100.12", 0L)), replica(DB2, replicating("198.51.100.11", 0L)),
                replica(DB3, replicating("198.51.100.11", 0L))), MAX_LAG);

        assertThat(status.problems()).containsExactly("no writable master");
    }

    @Test
    void brokenLaggingForeignAndUnreachableReplicasAreFlagged() {
        ReplicaStatus stoppedSql = new ReplicaStatus("198.51.100.11", 3306, "Yes", "No", null, "", "Duplicate entry '1'", true);
        ReplicaStatus connecting = new ReplicaStatus("192.0.2.99", 3306, "Connecting", "Yes", 5000L, "error connecting", "", false);

        ClusterStatus status = TopologyAnalyzer.analyze(CLUSTER, List.of(
                master(DB1), replica(DB2, stoppedSql), replica(DB3, connecting)), MAX_LAG);

        assertThat(status.problems()).containsExactly(
                "db2: replication SQL thread is No (Duplicate entry '1')",
                "db3 replicates from 192.0.2.99:3306, which is not a host of cluster main",
                "db3: replication IO thread is Connecting (error connecting)",
                "db3 lags 5000 s behind 192.0.2.99:3306 (max-replica-lag is 30 s)");
    }

    @Test
    void unreachableHostAndReadOnlyOrphanAreFlagged() {
        HostStatus orphan = new HostStatus(DB3, null, Flavor.MARIADB, "10.11", 3, true, null, "", null, Duration.ZERO);

        ClusterStatus status = TopologyAnalyzer.analyze(CLUSTER, List.of(
                master(DB1), HostStatus.unreachable(DB2, "Communications link failure", Duration.ofSeconds(2)), orphan), MAX_LAG);

        assertThat(status.problems()).containsExactly(
                "db2 is unreachable: Communications link failure",
                "db3 is read-only but replicates from nothing");
        assertThat(orphan.role()).isEqualTo("read-only, not replicating");
    }
}
