package io.handover.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.cli.ExitCode;
import io.handover.config.BackendRegistry;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigLoader;
import io.handover.mysql.MysqlConnections;
import io.handover.mysql.Sql;
import io.handover.sandbox.Sandbox;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handover probe} against the sandbox (MariaDB or Oracle MySQL): it must notice what it claims to check. */
class ProbeIT {

    @TempDir
    Path dir;

    private Lab lab;

    @BeforeEach
    void pristineLabWithClientsOnDb1() throws Exception {
        lab = new Lab(dir, "");
        lab.reset();
    }

    @AfterAll
    static void leaveTheLabPristine() {
        Sandbox.run("reset");
    }

    @Test
    void quietClusterLosesNothingAndCleanupDropsTableAndAccount() {
        Lab.Run probe = lab.handover("probe", "--cluster", "sandbox", "--duration", "2s");

        assertThat(probe.exitCode()).as(probe.toString()).isZero();
        assertThat(probe.out()).contains("errors: none", "acknowledged by: db1 ", "(none lost)",
                "writes on a fenced master: no fence in the journal during the probe", "result: OK");

        Lab.Run cleanup = lab.handover("probe", "--cluster", "sandbox", "--cleanup");

        assertThat(cleanup.exitCode()).as(cleanup.toString()).isZero();
        assertThat(cleanup.out()).isEqualTo("dropped `handover_probe`.`handover_probe` and the account handover_probe on db1\n");
        for (String host : new String[] {"db1", "db2"}) {
            assertThat(Sandbox.sql(host, "SELECT COUNT(*) FROM information_schema.tables"
                    + " WHERE table_schema = 'handover_probe' AND table_name = 'handover_probe'")).isEqualTo("0");
            assertThat(Sandbox.sql(host, "SELECT COUNT(*) FROM mysql.user WHERE user = 'handover_probe'")).isEqualTo("0");
        }
    }

    @Test
    void carelesslyPromotedReplicaLosesAcknowledgedWritesAndTheProbeSaysSo() throws Exception {
        CompletableFuture<Lab.Run> probe = CompletableFuture.supplyAsync(
                () -> lab.handover("probe", "--cluster", "sandbox", "--duration", "5s"));
        Thread.sleep(1000);
        // db2 stops replicating (after the probe's account reached it): what db1 acknowledges from now on never reaches it.
        Sandbox.sql("db2", Sandbox.stopReplication());
        Thread.sleep(1000);
        Sandbox.sql("db1", "SET GLOBAL read_only = 1");
        Sandbox.sql("db2", Sandbox.forgetReplication() + "; " + Sandbox.makeWritable());
        assertThat(lab.handover("register", "--cluster", "sandbox").exitCode()).isZero();

        Lab.Run run = probe.get(60, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).containsPattern("final master: db2; acknowledged writes on it: \\d+ of \\d+; LOST: \\[\\d+, ")
                .contains("result: FAILED");
    }

    @Test
    void serverErrorsQuotingAStatementNeverShowItsPassword() throws Exception {
        ClusterConfig cluster = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(lab.config).cluster("sandbox").orElseThrow();
        Host db1 = cluster.cluster().host("db1").orElseThrow();
        try (Connection connection = MysqlConnections.open(db1, cluster.mysql())) {
            // MySQL 8.4+ knows only CHANGE REPLICATION SOURCE TO: the error must be about BOGUS, after the password.
            String change = Sandbox.mysql() ? "CHANGE REPLICATION SOURCE TO BOGUS SOURCE_PASSWORD = ?" : "CHANGE MASTER TO BOGUS MASTER_PASSWORD = ?";
            String near = Sandbox.mysql() ? "near 'BOGUS SOURCE_PASSWORD = '[REDACTED]'" : "near 'BOGUS MASTER_PASSWORD = '[REDACTED]'";
            assertThatThrownBy(() -> Sql.of(change, Secret.of("pw-never-shown")).execute(connection))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(near)
                    .hasNoCause()
                    .message().doesNotContain("pw-never-shown");
        }
    }
}
