package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The scenario the MHA end-to-end tests share: the lab's real MHA manager started with the packaged
 * {@code handover} as its hooks, the master db1 killed with {@code kill -9}, and the manager awaited
 * until it exits, which it does after one failover or once it gives up. Each test keeps its own
 * clients and what it checks; this class holds only the lab's side.
 */
final class MhaFailover {

    /** How long the manager gets from the kill to its exit: its pings, the hooks' deadlines and the promotion. */
    static final Duration MANAGER_LIMIT = Duration.ofSeconds(90);

    private MhaFailover() {}

    /** What a test does while the manager watches db1, before the kill: let a writer get going, cut Consul off. */
    @FunctionalInterface
    interface BeforeKill {
        void run() throws Exception;
    }

    /**
     * Starts the manager with {@code hooks}, runs {@code beforeKill}, kills db1's server and waits
     * until the manager has exited.
     *
     * @return {@link System#nanoTime()} just after the kill: what a client got acknowledged later was
     *         written after the master died
     */
    static long killMaster(Map<String, String> hooks, BeforeKill beforeKill) throws Exception {
        Sandbox.run(hooks, "mha-manager", "start");
        beforeKill.run();
        Sandbox.run("db-kill", "db1");
        long killedAt = System.nanoTime();
        awaitManagerExit(MANAGER_LIMIT);
        return killedAt;
    }

    /** Where the manager logs; {@link LabClients#pristineAndRegistered} empties it, so it holds one failover. */
    static Path logFile() {
        return Sandbox.dir().resolve("mha/manager.log");
    }

    /** The manager's log of this test's failover: "completed successfully" once it promoted a new master. */
    static String log() throws IOException {
        return Files.readString(logFile());
    }

    /**
     * The new master of a failover that the manager logged as complete: the one writable host, db2 or
     * db3, as handover's status sees it with {@code config}.
     */
    static String completedOn(Path config) throws Exception {
        assertThat(log()).contains("completed successfully");
        String newMaster = LabClients.writableMaster(config);
        assertThat(newMaster).isIn("db2", "db3");
        return newMaster;
    }

    /** After each test: a manager that a failed test left running is stopped, and the lab is reset (db1 master again). */
    static void stopManagerAndReset() {
        Sandbox.run("mha-manager", "stop");
        Sandbox.run("reset");
    }

    /** Waits until the manager has exited. */
    static void awaitManagerExit(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Sandbox.run("mha-manager", "status").strip().equals("stopped")) {
            assertThat(System.nanoTime()).as("the MHA manager did not finish within %s", limit).isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
