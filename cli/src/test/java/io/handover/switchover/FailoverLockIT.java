package io.handover.switchover;

import static io.handover.switchover.Lab.DB1;
import static io.handover.switchover.Lab.DB2;
import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.cli.ExitCode;
import io.handover.config.BackendRegistry;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigLoader;
import io.handover.config.HandoverConfig;
import io.handover.flow.Redirector;
import io.handover.flow.StepReporter;
import io.handover.lock.ClusterLocks;
import io.handover.lock.LockHolderProcess;
import io.handover.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover lock in the lab (its Consul, the lock backend of its configuration): register
 * racing a switchover, a holder killed with kill -9, and {@code handover lock}. Holders are other
 * JVMs ({@link LockHolderProcess}) or a lease taken here, never timing.
 */
class FailoverLockIT {

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

    private static Path journal() {
        return Sandbox.dir().resolve("journal/sandbox.jsonl");
    }

    /**
     * A register that read the topology before a switchover fenced the old master (db1 still
     * writable) must not send clients back to it once the switchover has sent them to db2. Made
     * deterministic: the switchover here holds the lock and has redirected to db2 while db1 is
     * still writable, exactly what that register saw.
     */
    @Test
    void registerRacingASwitchoverNeverSendsClientsBackToTheOldMaster() throws Exception {
        HandoverConfig config = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(lab.config);
        ClusterConfig cluster = config.cluster("sandbox").orElseThrow();
        Deadline deadline = Deadline.after(Duration.ofSeconds(15));
        StepReporter reporter = new StepReporter("switchover", "sandbox", null, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        try (ClusterLock.Lease switchover = ClusterLocks.acquire(ClusterLocks.of(config, cluster), "sandbox",
                "handover switchover --cluster sandbox --to db2", deadline, Duration.ZERO, null)) {
            Redirector.Outcome redirected = new Redirector(cluster, reporter, switchover::held)
                    .activate(cluster.cluster().host("db2").orElseThrow(), deadline);
            assertThat(redirected).isEqualTo(Redirector.Outcome.OK);
            assertThat(Sandbox.sql("db1", "SELECT @@read_only")).isEqualTo("0");

            Lab.Run register = lab.handover("register", "--cluster", "sandbox");

            assertThat(register.exitCode()).as(register.toString()).isEqualTo(ExitCode.REFUSED);
            assertThat(register.err()).startsWith("handover: refused: the failover lock of cluster sandbox is held by "
                    + ClusterLocks.owner("handover switchover --cluster sandbox --to db2") + " since ")
                    .contains("if that process is gone, break the lock with: handover lock --cluster sandbox --force");
            assertThat(Lab.dnsAnswers()).containsExactly(List.of(DB2), List.of(DB2), List.of(DB2));
        }
        assertThat(Files.readString(journal())).contains("\"command\":\"register\",\"cluster\":\"sandbox\",\"backend\":null,"
                + "\"step\":\"lock\",\"outcome\":\"refused\"");
    }

    /**
     * A hook's holder killed with kill -9 on the MHA manager's host: the next hook breaks its lock
     * at once instead of waiting for Consul to expire the session (one to two TTLs, 15-30 s, more
     * than the hook waits: it would exit 4 and MHA abort), and journals the break.
     */
    @Test
    void aHookBreaksTheLockOfAHolderKilledWithKill9OnThisHost() throws Exception {
        Process holder = LockHolderProcess.start(lab.config.toString(), "sandbox");
        String owner = LockHolderProcess.owner(holder);
        holder.destroyForcibly(); // SIGKILL: no close, no session destroy
        holder.waitFor(10, TimeUnit.SECONDS);
        assertThat(lab.handover("lock", "--cluster", "sandbox").out()).contains("holder:  " + owner)
                .contains("(this host; no longer running: a stale lock)");

        long start = System.nanoTime();
        Lab.Run hook = lab.handover("mha-hook", "--command=start", "--orig_master_host=" + DB1, "--orig_master_ip=" + DB1,
                "--orig_master_port=3306", "--new_master_host=" + DB1, "--new_master_ip=" + DB1, "--new_master_port=3306");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(hook.exitCode()).as(hook.toString()).isZero();
        assertThat(hook.out()).contains("handover [sandbox] break lock of dead pid " + holder.pid() + " ok in ")
                .contains("held by " + owner + " since ").contains("whose process " + holder.pid() + " no longer runs on this host; broken");
        System.out.printf("holder killed with kill -9: the next hook (mha-hook start) ran in %d ms, breaking its lock included%n", elapsedMs);
        assertThat(Files.readString(journal())).contains("\"step\":\"break lock of dead pid " + holder.pid() + "\",\"outcome\":\"ok\"");
        assertThat(lab.handover("lock", "--cluster", "sandbox").out()).contains("is free");
    }

    /** Not only the hooks: a switchover (as migrate retire) breaks a dead holder's lock in its output and the journal too. */
    @Test
    void aSwitchoverBreaksTheLockOfAHolderKilledWithKill9AndJournalsIt() throws Exception {
        Process holder = LockHolderProcess.start(lab.config.toString(), "sandbox");
        holder.destroyForcibly(); // SIGKILL: no close, no session destroy
        holder.waitFor(10, TimeUnit.SECONDS);

        Lab.Run switchover = lab.handover("switchover", "--cluster", "sandbox", "--to", "db2", "--yes");

        assertThat(switchover.exitCode()).as(switchover.toString()).isZero();
        assertThat(switchover.out()).contains("handover [sandbox] break lock of dead pid " + holder.pid() + " ok in ");
        assertThat(Files.readString(journal())).contains("\"command\":\"switchover\"")
                .contains("\"step\":\"break lock of dead pid " + holder.pid() + "\",\"outcome\":\"ok\"");
    }

    /** An operator breaks the lock of a live holder elsewhere in the datacenter (here: another JVM); it is journalled. */
    @Test
    void lockForceBreaksAHeldLockSaysWhatItBrokeAndJournalsIt() throws Exception {
        Process holder = LockHolderProcess.start(lab.config.toString(), "sandbox");
        try {
            String owner = LockHolderProcess.owner(holder);
            Lab.Run shown = lab.handover("lock", "--cluster", "sandbox");
            assertThat(shown.exitCode()).as(shown.toString()).isZero();
            assertThat(shown.out()).startsWith("cluster sandbox: the failover lock is held (consul lock of cluster sandbox)\n"
                    + "  holder:  " + owner + "\n").contains("(this host; running)", "  session: ")
                    .contains("if that process is gone: handover lock --cluster sandbox --force");
            assertThat(lab.handover("register", "--cluster", "sandbox").exitCode()).isEqualTo(ExitCode.REFUSED);

            Lab.Run broken = lab.handover("lock", "--cluster", "sandbox", "--force");

            assertThat(broken.exitCode()).as(broken.toString()).isZero();
            assertThat(broken.out()).contains("handover [sandbox] break lock ok in ", "broke the consul lock of cluster sandbox, held by "
                    + owner + " since ", ": destroyed Consul session ")
                    .containsPattern("\ncluster sandbox: broke the failover lock \\(consul lock of cluster sandbox\\) held since \\S+Z \\(\\d+ s ago\\) by "
                            + Pattern.quote(owner) + "\n");
            assertThat(Files.readString(journal())).contains("\"command\":\"lock --force\"", "\"step\":\"break lock\",\"outcome\":\"ok\"");
            Lab.Run register = lab.handover("register", "--cluster", "sandbox");
            assertThat(register.exitCode()).as(register.toString()).isZero();
            assertThat(lab.handover("lock", "--cluster", "sandbox", "--force").exitCode()).isEqualTo(ExitCode.REFUSED);
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
