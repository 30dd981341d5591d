package io.handover.cli;

import io.handover.api.SshOverrides;
import java.util.Optional;
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

/** The MHA hook protocol, with a recording backend standing in for Consul (tested for real elsewhere). */
class MhaHookCommandTest {

    private static final String PASSWORD = "Pa55-in-argv";

    @TempDir
    Path dir;

    private StringWriter out;
    private StringWriter err;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        RecordingBackendFactory.reset();
        config = dir.resolve("handover.conf");
        writeConfig("abort");
    }

    private void writeConfig(String secondaryFailure) throws Exception {
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = x }
                    hosts = [
                      { name = db1, address = "198.51.100.11" }
                      { name = db2, address = "198.51.100.12" }
                    ]
                    redirect = [ { backend = recording, label = primary }, { backend = recording, label = secondary, fail-on = ${?FAIL_SECONDARY} } ]
                    secondary-failure = %s
                    deadline = 5s
                  }
                  clusters.other {
                    mysql { user = handover, password = x }
                    hosts = [ { name = db9, address = "198.51.100.19" } ]
                    redirect = [ { backend = recording, label = other } ]
                  }
                }
                """.formatted(secondaryFailure));
    }

    private int hook(Map<String, String> environment, String... mhaArgs) {
        out = new StringWriter();
        err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("mha-hook", "--config=" + config));
        args.addAll(List.of(mhaArgs));
        return Handover.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), environment);
    }

    private int hook(String... mhaArgs) {
        return hook(Map.of(), mhaArgs);
    }

    private static final String[] START = {
        "--command=start", "--ssh_user=root", "--orig_master_host=198.51.100.11", "--orig_master_ip=198.51.100.11",
        "--orig_master_port=3306", "--new_master_host=198.51.100.12", "--new_master_ip=198.51.100.12",
        "--new_master_port=3306", "--new_master_user=mha", "--ssh_options=-F /x/ssh_config", "--new_master_password=" + PASSWORD};

    @Test
    void fullFailoverReleasesThenActivatesAndVerifiesInEveryBackend() throws Exception {
        RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("198.51.100.11")));
        RecordingBackendFactory.TARGETS.put("secondary", new ArrayList<>(List.of("198.51.100.11")));

        assertThat(hook("--command=status", "--ssh_user=root", "--orig_master_host=198.51.100.11",
                "--orig_master_ip=198.51.100.11", "--orig_master_port=3306")).isEqualTo(0);
        // MHA does not always put --command first, and stop has no --ssh_user.
        assertThat(hook("--orig_master_host=198.51.100.11", "--orig_master_ip=198.51.100.11",
                "--orig_master_port=3306", "--command=stop")).isEqualTo(0);
        // what a release left undone reaches MHA's log (and the journal), not only a warning on stderr
        assertThat(out.toString()).containsPattern("handover \\[main] recording primary: release db1 ok in \\d+ ms"
                + " \\(db1 was not asked: it is down\\)");
        assertThat(hook(START)).isEqualTo(0);

        // Both backends move at the same time: each one's steps in order, the two interleaved.
        List<String> calls = List.copyOf(RecordingBackendFactory.CALLS);
        assertThat(calls.subList(0, 2)).containsExactlyInAnyOrder("primary release db1 (unreachable)", "secondary release db1 (unreachable)");
        assertThat(calls.subList(2, calls.size())).containsExactlyInAnyOrder(
                "primary activate db2", "primary verify db2", "secondary activate db2", "secondary verify db2");
        assertThat(calls).containsSubsequence("primary activate db2", "primary verify db2")
                .containsSubsequence("secondary activate db2", "secondary verify db2");
        assertThat(RecordingBackendFactory.TARGETS.get("primary")).containsExactly("198.51.100.12");
        assertThat(out.toString()).contains("handover [main] recording primary: activate db2 ok in ")
                .contains("handover [main] recording primary: verify db2 ok in ");
    }

    @Test
    void aHookKeepsAnEighthOfItsDeadlineAtMostTwoSecondsToFreeTheLock() {
        assertThat(MhaHook.lockReserve(java.time.Duration.ofSeconds(30))).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(MhaHook.lockReserve(java.time.Duration.ofSeconds(8))).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(MhaHook.lockReserve(java.time.Duration.ofSeconds(1))).isEqualTo(java.time.Duration.ofMillis(125));
    }

    @Test
    void stopsshReleasesAReachableMasterAndMhasSshSettingsReachTheBackends() {
        RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("198.51.100.11")));

        assertThat(hook("--orig_master_host=198.51.100.11", "--orig_master_ip=198.51.100.11", "--orig_master_port=3306",
                "--command=stopssh", "--ssh_user=mha", "--ssh_options=-i /etc/mha/key -o ConnectTimeout=2")).isEqualTo(0);

        assertThat(RecordingBackendFactory.CALLS).containsExactlyInAnyOrder("primary release db1", "secondary release db1");
        assertThat(RecordingBackendFactory.SSH).containsExactly(new SshOverrides(Optional.of("mha"),
                Optional.of("-i /etc/mha/key -o ConnectTimeout=2")));
    }

    @Test
    void statusFailsWhenClientsAreNotSentToTheOrigMasterAndSaysHowToFixIt() {
        assertThat(hook("--command=status", "--orig_master_host=db1", "--orig_master_ip=198.51.100.11",
                "--orig_master_port=3306")).isEqualTo(ExitCode.FAILED);

        assertThat(err.toString()).isEqualTo("handover: recording primary: sends clients nowhere (expected: only the orig master"
                + " db1 at 198.51.100.11:3306); recording secondary: sends clients nowhere (expected: only the orig master"
                + " db1 at 198.51.100.11:3306); to send clients to the current master run: handover register --cluster main\n");
    }

    @Test
    void passwordsFromArgvNeverReachOutputOrJournal() throws Exception {
        hook(START);
        hook(Map.of("FAIL_SECONDARY", "activate"), START);
        hook("--command=bogus", "--new_master_password=" + PASSWORD);

        String journal = Files.readString(dir.resolve("journal/main.jsonl"));
        assertThat(journal).isNotEmpty().doesNotContain(PASSWORD);
        assertThat(out.toString() + err.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void failingPrimaryAbortsMhaEvenThoughTheSecondaryMovedAtTheSameTime() throws Exception {
        Files.writeString(config, Files.readString(config).replace("label = primary }", "label = primary, fail-on = activate }"));

        assertThat(hook(START)).isEqualTo(ExitCode.FAILED);

        assertThat(RecordingBackendFactory.CALLS).containsExactlyInAnyOrder("primary activate db2", "secondary activate db2",
                "secondary verify db2");
        assertThat(out.toString()).contains("recording primary: activate db2 failed in ").contains("(primary refused activate)");
        assertThat(err.toString()).isEqualTo("handover: activate failed for cluster main"
                + " (see the lines above and: handover journal --cluster main)\n");
    }

    @Test
    void failingSecondaryAbortsByDefaultAndProceedsWhenAllowed() throws Exception {
        assertThat(hook(Map.of("FAIL_SECONDARY", "activate"), START)).isEqualTo(ExitCode.FAILED);

        writeConfig("proceed");
        assertThat(hook(Map.of("FAIL_SECONDARY", "activate"), START)).isEqualTo(ExitCode.PROCEED);
        assertThat(out.toString()).contains("recording secondary: secondary backend failed proceeded");
    }

    @Test
    void clusterIsFoundByTheOrigMasterOrNamedExplicitly() {
        RecordingBackendFactory.TARGETS.put("other", new ArrayList<>(List.of("198.51.100.19")));

        assertThat(hook("--command=status", "--orig_master_ip=198.51.100.19", "--orig_master_port=3306")).isEqualTo(0);
        assertThat(out.toString()).contains("handover [other] recording other: status ok");

        assertThat(hook("--command=status", "--orig_master_ip=203.0.113.5", "--orig_master_port=3306")).isEqualTo(ExitCode.FAILED);
        assertThat(err.toString()).isEqualTo("handover: no cluster in " + config + " has a host at 203.0.113.5:3306;"
                + " clusters: main, other; give --cluster NAME\n");

        assertThat(hook("--command=start", "--cluster", "main", "--new_master_ip=203.0.113.5", "--new_master_port=3306"))
                .isEqualTo(ExitCode.FAILED);
        assertThat(err.toString()).isEqualTo("handover: the new master 203.0.113.5:3306 is not a host of cluster main"
                + " (hosts: db1 (198.51.100.11:3306), db2 (198.51.100.12:3306))\n");
    }

    @Test
    void journalRecordsEachStepAndPrintsIt() throws Exception {
        hook(START);

        // each step twice: started before it runs, then its outcome
        assertThat(Files.readAllLines(dir.resolve("journal/main.jsonl"))).hasSize(10)
                .anySatisfy(line -> assertThat(line).contains("\"step\":\"lock\""))
                .allSatisfy(line -> assertThat(line).contains("\"command\":\"mha-hook start\"", "\"cluster\":\"main\""))
                .filteredOn(line -> line.contains("\"outcome\":\"started\"")).hasSize(5);

        out = new StringWriter();
        assertThat(Handover.run(new String[] {"journal", "--config", config.toString(), "--cluster", "main"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), Map.of())).isEqualTo(0);
        assertThat(out.toString().lines()).hasSize(5).allSatisfy(line -> assertThat(line).contains("mha-hook start"));
        assertThat(out.toString()).contains("activate db2", "verify db2");
    }

    @Test
    void lastZeroPrintsNothingAndDoesNotCallAFullJournalEmpty() throws Exception {
        hook(START);

        out = new StringWriter();
        StringWriter journalErr = new StringWriter();
        assertThat(Handover.run(new String[] {"journal", "--config", config.toString(), "--cluster", "main", "--last", "0"},
                new PrintWriter(out, true), new PrintWriter(journalErr, true), Map.of())).isEqualTo(0);
        assertThat(out.toString()).isEmpty();
        assertThat(journalErr.toString()).isEmpty();
    }

    @Test
    void aLineCutShortByACrashDoesNotHideTheRestOfTheJournal() throws Exception {
        hook(START);
        Files.writeString(dir.resolve("journal/main.jsonl"), "{\"time\":\"2026-", java.nio.file.StandardOpenOption.APPEND);

        out = new StringWriter();
        StringWriter journalErr = new StringWriter();
        assertThat(Handover.run(new String[] {"journal", "--config", config.toString(), "--cluster", "main"},
                new PrintWriter(out, true), new PrintWriter(journalErr, true), Map.of())).isEqualTo(0);
        assertThat(out.toString().lines()).hasSize(5);

        assertThat(Handover.run(new String[] {"journal", "--config", config.toString(), "--last", "-1"},
                new PrintWriter(out, true), new PrintWriter(journalErr, true), Map.of())).isEqualTo(ExitCode.USAGE);
        assertThat(journalErr.toString()).contains("handover: --last takes a number of entries, 0 or more; got -1");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(hook("--command=bogus", "--orig_master_ip=198.51.100.11", "--orig_master_port=3306")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: unknown --command=bogus; expected status, stop, stopssh or start\n");
    }

    @Test
    void aStepStartedButNeverFinishedShowsInTheJournalAsInFlight() throws Exception {
        hook(START);
        // what a hook killed in the middle of a step leaves: its start, no outcome
        new io.handover.journal.Journal(dir.resolve("journal")).append(new io.handover.journal.JournalEntry(
                java.time.Instant.now(), "mha-hook start", "main", "recording primary", "activate db1", "started", 0, null, "dead"));

        out = new StringWriter();
        assertThat(Handover.run(new String[] {"journal", "--config", config.toString(), "--cluster", "main", "--last", "2"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), Map.of())).isEqualTo(0);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        // the backends verify at the same time: either one's verify may be the last to end
        assertThat(lines.get(0)).contains("verify db2", " ok ");
        assertThat(lines.get(1)).contains("recording primary", "activate db1", "in flight/unknown", "        - started, no outcome"
                + " recorded: still running, or handover was stopped (crash, kill) during it");
    }

    /** A server that takes the connection and never says a word: MySQL hung, or a proxy in front of a dead one. */
    @Test
    void anOnlineChangesFenceOfASilentOrigMasterEndsByTheCallsDeadline() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<java.net.Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Files.writeString(config, """
                    handover {
                      journal.directory = journal
                      clusters.main {
                        mysql { user = handover, password = x, read-timeout = 10s }
                        hosts = [ { name = db1, address = "127.0.0.1", port = %d }, { name = db2, address = "198.51.100.12" } ]
                        redirect = [ { backend = recording, label = primary } ]
                        deadline = 2s
                      }
                    }
                    """.formatted(silent.getLocalPort()));
            RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("127.0.0.1")));
            out = new StringWriter();
            err = new StringWriter();

            long start = System.nanoTime();
            int code = Handover.run(new String[] {"mha-online-change", "--config=" + config, "--command=stop",
                "--orig_master_host=db1", "--orig_master_ip=127.0.0.1", "--orig_master_port=" + silent.getLocalPort(),
                "--new_master_host=db2", "--new_master_ip=198.51.100.12", "--new_master_port=3306",
                "--orig_master_user=mha", "--orig_master_password=" + PASSWORD}, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
            java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);

            assertThat(code).isEqualTo(ExitCode.FAILED);
            // the login's read was bounded by the 10 s read-timeout alone before; now by what is left of the deadline
            assertThat(took).as(out + "" + err).isLessThan(java.time.Duration.ofSeconds(4));
            assertThat(out.toString()).contains("handover [main] fence db1 failed in ").doesNotContain(PASSWORD)
                    .satisfies(text -> assertThat(text.lines().filter(line -> line.contains("fence db1"))).hasSize(1));
            assertThat(err.toString()).startsWith("handover: cannot fence the orig master ").hasLineCount(1);
            assertThat(RecordingBackendFactory.TARGETS.get("primary")).containsExactly("127.0.0.1");
        }
    }
}
