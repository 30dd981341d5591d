package io.handover.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.Cluster;
import io.handover.api.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrantTransactionsTest {

    @Test
    void mariadbReplicaBehindOrEqualHasNone() {
        assertThat(ErrantTransactions.mariadb("0-1-5", "0-1-7")).isEmpty();
        assertThat(ErrantTransactions.mariadb("0-1-7", "0-1-7")).isEmpty();
        assertThat(ErrantTransactions.mariadb("", "0-1-7")).isEmpty();
        assertThat(ErrantTransactions.mariadb("0-1-3,1-2-9", "1-2-9,0-1-3")).isEmpty();
    }

    @Test
    void mariadbReplicaPastTheMasterInADomainHasTheRun() {
        assertThat(ErrantTransactions.mariadb("0-3-6", "0-1-5")).isEqualTo("0-3-6");
        assertThat(ErrantTransactions.mariadb("0-3-8", "0-1-5")).isEqualTo("0-3-6..8");
    }

    @Test
    void mariadbDomainTheMasterNeverSawIsErrant() {
        assertThat(ErrantTransactions.mariadb("0-3-1", "")).isEqualTo("0-3-1");
        assertThat(ErrantTransactions.mariadb("0-1-5,7-3-2", "0-1-5")).isEqualTo("7-3-2");
    }

    @Test
    void mariadbSameNumberFromAnotherServerIsAnotherTransaction() {
        assertThat(ErrantTransactions.mariadb("0-3-5", "0-1-5")).isEqualTo("0-3-5");
    }

    @Test
    void mariadbPositionThatIsNoneIsRefused() {
        assertThatThrownBy(() -> ErrantTransactions.mariadb("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "0-1-1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mysqlReadOnlyRestartsAsPersistedOrAsConfigured() {
        assertThat(HostInspector.restartsOn("PERSISTED", "ON", true)).isTrue();
        assertThat(HostInspector.restartsOn("DYNAMIC", "ON", false)).isTrue();
        assertThat(HostInspector.restartsOn("DYNAMIC", "OFF", true)).isFalse();
        assertThat(HostInspector.restartsOn("DYNAMIC", null, true)).isFalse();
        assertThat(HostInspector.restartsOn("COMPILED", null, false)).isFalse();
        assertThat(HostInspector.restartsOn("GLOBAL", null, true)).isTrue();
        assertThat(HostInspector.restartsOn("EXPLICIT", null, false)).isFalse();
    }

    @Test
    void statusFlagsErrantTransactionsAndReadOnlyThatARestartLoses() {
        Host db1 = new Host("db1", "198.51.100.11", 3306, true);
        Host db2 = new Host("db2", "198.51.100.12", 3306, true);
        Host db3 = new Host("db3", "198.51.100.13", 3306, true);
        ReplicaStatus replica = new ReplicaStatus("198.51.100.11", 3306, "Yes", "Yes", 0L, "", "", true);
        String version = "9.7.4-2";
        HostStatus master = new HostStatus(db1, null, Flavor.MYSQL, version, 1, false, false, "a:1-5", null, Duration.ZERO, null,
                false, null);
        HostStatus errant = new HostStatus(db2, null, Flavor.MYSQL, version, 2, true, true, "a:1-5,b:1", replica, Duration.ZERO,
                null, true, "b:1");
        HostStatus notPersisted = new HostStatus(db3, null, Flavor.MYSQL, version, 3, true, true, "a:1-5", replica, Duration.ZERO,
                null, false, "");

        ClusterStatus status = TopologyAnalyzer.analyze(new Cluster("main", List.of(db1, db2, db3)), List.of(master, errant, notPersisted),
                Duration.ofSeconds(30));

        assertThat(status.problems()).containsExactly(
                "db2 has transactions db1 lacks (errant GTIDs b:1): promoted, it would hand them to every replica",
                "db3 is read-only only until it restarts: read_only and super_read_only were set with SET GLOBAL and are not"
                        + " persisted (SET PERSIST super_read_only = ON keeps them)");
    }
}
