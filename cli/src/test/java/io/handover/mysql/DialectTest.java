package io.handover.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.ReplicationAccount;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements each dialect generates: MariaDB runs them for real in the sandbox, MySQL only where Docker exists. */
class DialectTest {

    private static final Host NEW_MASTER = new Host("db2", "198.51.100.12", 3306, true);
    private static final ReplicationAccount REPL = new ReplicationAccount("repl", Secret.of("s3cr'et"));

    private static List<String> display(List<Sql> statements) {
        return statements.stream().map(Sql::display).toList();
    }

    @Test
    void dialectIsChosenFromTheVersionString() {
        assertThat(Dialect.of("10.11.11-MariaDB-0+deb12u1-log")).isInstanceOf(MariaDbDialect.class);
        assertThat(Dialect.of("8.4.3")).isEqualTo(new MySqlDialect("8.4.3"));
        assertThat(new MySqlDialect("8.4.3").sourceReplicaSyntax()).isTrue();
        assertThat(new MySqlDialect("8.0.23").sourceReplicaSyntax()).isTrue();
        assertThat(new MySqlDialect("8.0.22").sourceReplicaSyntax()).isFalse();
        assertThat(new MySqlDialect("8.0.4-rc").sourceReplicaSyntax()).isFalse();
    }

    @Test
    void mariadbRepointsAReplicaBySlavePosAndAFormerMasterFromItsOwnBinlogPosition() {
        Dialect mariadb = Dialect.of("10.11.11-MariaDB-log");

        assertThat(display(mariadb.replicateFrom(NEW_MASTER, REPL, false))).containsExactly(
                "STOP SLAVE",
                "CHANGE MASTER TO MASTER_HOST = '198.51.100.12', MASTER_PORT = 3306, MASTER_USER = 'repl',"
                        + " MASTER_PASSWORD = '[REDACTED]', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
                "START SLAVE");
        assertThat(display(mariadb.replicateFrom(NEW_MASTER, REPL, true))).containsExactly(
                "STOP SLAVE",
                "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos",
                "CHANGE MASTER TO MASTER_HOST = '198.51.100.12', MASTER_PORT = 3306, MASTER_USER = 'repl',"
                        + " MASTER_PASSWORD = '[REDACTED]', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
                "START SLAVE");
    }

    @Test
    void mariadbPromotionWaitAndPositions() {
        Dialect mariadb = Dialect.of("10.6.20-MariaDB");

        assertThat(display(mariadb.detach())).containsExactly("STOP SLAVE", "RESET SLAVE ALL");
        assertThat(display(mariadb.writable())).containsExactly("SET GLOBAL read_only = OFF");
        assertThat(mariadb.waitForGtids("0-1-42", 1).display()).isEqualTo("SELECT MASTER_GTID_WAIT('0-1-42', 1)");
        assertThat(mariadb.executedGtids().display()).isEqualTo("SELECT @@gtid_binlog_pos");
        assertThat(mariadb.waitReached(0)).isTrue();
        assertThat(mariadb.waitReached(-1)).isFalse();
    }

    @Test
    void mysql84UsesSourceReplicaSyntaxAutoPositionAndSuperReadOnly() {
        Dialect mysql = Dialect.of("8.4.3");

        assertThat(display(mysql.replicateFrom(NEW_MASTER, REPL, true))).containsExactly(
                "STOP REPLICA",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '198.51.100.12', SOURCE_PORT = 3306, SOURCE_USER = 'repl',"
                        + " SOURCE_PASSWORD = '[REDACTED]', SOURCE_AUTO_POSITION = 1, SOURCE_CONNECT_RETRY = 1,"
                        + " GET_SOURCE_PUBLIC_KEY = 1",
                "START REPLICA");
        assertThat(display(mysql.detach())).containsExactly("STOP REPLICA", "RESET REPLICA ALL");
        assertThat(display(mysql.writable())).containsExactly("SET PERSIST super_read_only = OFF", "SET PERSIST read_only = OFF");
        assertThat(mysql.waitForGtids("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", 1).display())
                .isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 1)");
        assertThat(mysql.waitReached(0)).isTrue();
        assertThat(mysql.waitReached(1)).isFalse();
    }

    @Test
    void mysqlBefore8023KeepsTheMasterSlaveWords() {
        Dialect mysql = Dialect.of("8.0.21");

        assertThat(display(mysql.replicateFrom(NEW_MASTER, REPL, false))).containsExactly(
                "STOP SLAVE",
                "CHANGE MASTER TO MASTER_HOST = '198.51.100.12', MASTER_PORT = 3306, MASTER_USER = 'repl',"
                        + " MASTER_PASSWORD = '[REDACTED]', MASTER_AUTO_POSITION = 1, MASTER_CONNECT_RETRY = 1,"
                        + " GET_MASTER_PUBLIC_KEY = 1",
                "START SLAVE");
        assertThat(display(mysql.detach())).containsExactly("STOP SLAVE", "RESET SLAVE ALL");
    }

    @Test
    void displayQuotesStringsAndNeverRevealsSecrets() {
        Sql sql = Sql.of("CHANGE MASTER TO MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_PORT = ?", "o'brien", Secret.of("pw"), 3306);

        assertThat(sql.display()).isEqualTo("CHANGE MASTER TO MASTER_USER = 'o''brien', MASTER_PASSWORD = '[REDACTED]', MASTER_PORT = 3306");
        assertThat(sql.toString()).doesNotContain("pw'");
    }
}
