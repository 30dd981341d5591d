package io.handover.switchover;

import static io.handover.switchover.Lab.DB1;
import static io.handover.switchover.Lab.DB2;
import static org.assertj.core.api.Assertions.assertThat;

import io.handover.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handover mha-online-change} run the way MHA 0.58's {@code masterha_master_switch
 * --master_state=alive --orig_master_is_new_slave} runs it: the same command line, built as MHA
 * builds it (its quoting and spacing included) and run through {@code /bin/sh -c}, with MHA's own
 * account, against the sandbox. What MHA does on the servers between and after the two hook calls
 * is done here with the lab's own statements. On the MySQL flavour this is how an online switch is
 * tested at all: MHA 0.58 cannot drive MySQL 8.4+ (it stops at SHOW SLAVE STATUS; docs/MYSQL.md).
 */
class MhaOnlineChangeIT {

    /** What MHA 0.58 passes as --ssh_options when app.cnf has ssh_options (seen in its switch log). */
    private static final String SSH_OPTIONS = "-o ServerAliveInterval=60 -o ServerAliveCountMax=20 -o StrictHostKeyChecking=no"
            + " -o ConnectionAttempts=5 -o PasswordAuthentication=no -o BatchMode=yes -F ";

    @TempDir
    Path dir;

    private Lab lab;
    private Path launcher;

    @BeforeEach
    void pristineLabWithClientsOnDb1() throws Exception {
        lab = new Lab(dir, "");
        lab.reset();
        launcher = SwitchoverBenchmark.launcher(dir);
    }

    @AfterAll
    static void leaveTheLabPristine() {
        Sandbox.run("reset");
    }

    @Test
    void onlineSwitchAsMhaRunsItMovesClientsAndFencesTheOrigMasterForGood() throws Exception {
        Sandbox.sql("db1", "CREATE TABLE handover_probe.online (id INT PRIMARY KEY); INSERT INTO handover_probe.online VALUES (1)");

        Lab.Run stop = mha("stop");

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("handover [sandbox] fence db1 ok in ", ": release db1 ok in ");
        assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("1");
        if (Sandbox.mysql()) {
            assertThat(Sandbox.sql("db1", "SELECT @@super_read_only")).isEqualTo("1");
            // Persisted: db1 comes back read-only if it restarts now.
            assertThat(persisted("db1")).isEqualTo("read_only=ON super_read_only=ON");
        }
        assertThat(stop.out() + stop.err()).doesNotContain("mha-secret");

        // MHA: the new master catches up with the orig master (which no longer moves) and stops replicating.
        Sandbox.sql("db2", waitFor(Sandbox.executedGtids("db1")));
        Sandbox.sql("db2", Sandbox.forgetReplication());

        Lab.Run start = mha("start");

        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(start.out()).contains(": activate db2 ok in ", ": verify db2 ok in ");
        assertThat(Lab.dnsAnswers()).containsExactly(List.of(DB2), List.of(DB2), List.of(DB2));

        // MHA: the new master takes writes, the others (the orig master too) replicate from it.
        Sandbox.sql("db2", Sandbox.makeWritable());
        Sandbox.sql("db3", replicateFrom(DB2, false));
        Sandbox.sql("db1", replicateFrom(DB2, true));
        Sandbox.sql("db2", "INSERT INTO handover_probe.online VALUES (2)");
        Sandbox.sql("db1", waitFor(Sandbox.executedGtids("db2")));
        Sandbox.sql("db3", waitFor(Sandbox.executedGtids("db2")));

        assertThat(lab.master()).isEqualTo("db2");
        assertThat(lab.sources()).containsEntry("db1", DB2 + " Yes/Yes gtid").containsEntry("db3", DB2 + " Yes/Yes gtid");
        assertThat(Sandbox.sql("db1", "SELECT COUNT(*) FROM handover_probe.online")).isEqualTo("2");
        Lab.Run status = lab.handover("status", "--cluster", "sandbox");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(lab.handover("journal", "--cluster", "sandbox", "--last", "12").out())
                .containsPattern("mha-online-change stop +- +fence db1 +ok")
                .containsPattern("mha-online-change stop +consul service sandbox-master +release db1 +ok")
                .containsPattern("mha-online-change start +consul service sandbox-master +activate db2 +ok")
                .containsPattern("mha-online-change start +consul service sandbox-master +verify db2 +ok");
    }

    @Test
    void failedReleaseUndoesTheFenceForGoodAndMhaAborts() throws Exception {
        // A redirect whose release fails, in the hook's own JVM (the recording backend of the test classes).
        lab = new Lab(dir, "redirect = [ { backend = recording, label = mha, fail-on = release } ]").withLockBackend("consul");

        Lab.Run stop = mha("stop");

        assertThat(stop.exitCode()).as(stop.toString()).isEqualTo(1);
        assertThat(stop.out()).contains("handover [sandbox] fence db1 ok in ", "handover [sandbox] unfence db1 ok in ");
        // What was released is put back before the fence is undone: never a writable master no client finds.
        assertThat(stop.out()).containsSubsequence("release db1 failed", "recording mha: activate db1 ok",
                "recording mha: verify db1 ok", "unfence db1 ok");
        assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("0");
        if (Sandbox.mysql()) {
            assertThat(Sandbox.sql("db1", "SELECT @@super_read_only")).isEqualTo("0");
            // Undone for good too: a restart now must not bring the orig master back read-only.
            assertThat(persisted("db1")).isEqualTo("read_only=OFF super_read_only=OFF");
        }
        assertThat(lab.master()).isEqualTo("db1");
    }

    /**
     * A dual run whose primary fails to release while the secondary, moved at the same time, has
     * already taken db1 out of Consul: every backend is put back on db1 before the fence is lifted,
     * so DNS clients find the writable orig master again. Fails without the hook's compensation.
     */
    @Test
    void failedPrimaryReleaseInADualRunPutsTheReleasedSecondaryBackBeforeTheFenceIsUndone() throws Exception {
        lab = new Lab(dir, """
                redirect = [ { backend = recording, label = mha, fail-on = release }, { backend = consul, service = "sandbox-master" } ]
                secondary-failure = proceed
                deadline = 60s   # the fence needs its share even when a loaded CI machine starts the JVM slowly
                """).withLockBackend("consul");

        Lab.Run stop = mha("stop");

        assertThat(stop.exitCode()).as(stop.toString()).isEqualTo(1);
        assertThat(stop.out()).contains("recording mha: release db1 failed", "consul service sandbox-master: release db1 ok")
                .doesNotContain("proceeded");
        assertThat(stop.out()).containsSubsequence("consul service sandbox-master: release db1 ok",
                "consul service sandbox-master: activate db1 ok", "consul service sandbox-master: verify db1 ok", "unfence db1 ok");
        assertThat(Lab.dnsAnswers()).containsExactly(List.of(DB1), List.of(DB1), List.of(DB1));
        assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("0");
        assertThat(lab.master()).isEqualTo("db1");
    }

    /** The command line MHA 0.58 builds for master_ip_online_change_script (MasterRotate.pm), passwords included. */
    private String commandLine(String command) {
        return launcher + " mha-online-change --config=" + lab.config + " --command=" + command
                + " --orig_master_host=" + DB1 + " --orig_master_ip=" + DB1 + " --orig_master_port=3306 --orig_master_user='mha'"
                + " --new_master_host=" + DB2 + " --new_master_ip=" + DB2 + " --new_master_port=3306 --new_master_user='mha'"
                + " --orig_master_ssh_user=root --new_master_ssh_user=root "
                + " --ssh_options='" + SSH_OPTIONS + Sandbox.dir().resolve("ssh/config") + "'  "
                + " --orig_master_is_new_slave --orig_master_password=mha-secret --new_master_password=mha-secret";
    }

    /** Runs the hook as MHA does: its command line through /bin/sh, output collected. */
    private Lab.Run mha(String command) throws IOException, InterruptedException {
        Path out = dir.resolve("hook-" + command + ".out");
        Path err = dir.resolve("hook-" + command + ".err");
        Process process = new ProcessBuilder("/bin/sh", "-c", commandLine(command))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mha-online-change --command=" + command + " did not finish in 60 s");
        }
        return new Lab.Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String persisted(String host) {
        return Sandbox.sql(host, "SELECT GROUP_CONCAT(CONCAT(VARIABLE_NAME, '=', VARIABLE_VALUE) ORDER BY VARIABLE_NAME SEPARATOR ' ')"
                + " FROM performance_schema.persisted_variables WHERE VARIABLE_NAME IN ('read_only', 'super_read_only')");
    }

    private static String waitFor(String gtids) {
        return Sandbox.mysql()
                ? "SELECT WAIT_FOR_EXECUTED_GTID_SET('" + gtids + "', 20)"
                : "SELECT MASTER_GTID_WAIT('" + gtids + "', 20)";
    }

    /** What MHA's CHANGE MASTER does, by GTID: MySQL auto-position; MariaDB slave_pos (a former master's own binlog first). */
    private static String replicateFrom(String source, boolean wasMaster) {
        if (Sandbox.mysql()) {
            return "STOP REPLICA; CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + source + "', SOURCE_PORT = 3306,"
                    + " SOURCE_USER = 'repl', SOURCE_PASSWORD = 'repl-secret', SOURCE_AUTO_POSITION = 1, SOURCE_CONNECT_RETRY = 1,"
                    + " GET_SOURCE_PUBLIC_KEY = 1; START REPLICA";
        }
        return "STOP SLAVE; " + (wasMaster ? "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos; " : "")
                + "CHANGE MASTER TO MASTER_HOST = '" + source + "', MASTER_PORT = 3306, MASTER_USER = 'repl',"
                + " MASTER_PASSWORD = 'repl-secret', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1; START SLAVE";
    }
}
