package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.config.RecordingBackendFactory;
import io.handover.journal.Journal;
import io.handover.journal.JournalEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the journal must hold besides the steps that went well: refusals, a fence that could not
 * even connect, and the run that links MHA's stop to its start. No MySQL: the hosts are closed
 * loopback ports, refused at once; the redirect is the recording backend.
 */
class JournalRecordsTest {

    private static final String[] STOP = {"--command=stop", "--orig_master_host=127.0.0.1", "--orig_master_ip=127.0.0.1",
        "--orig_master_port=9"};
    private static final String[] START = {"--command=start", "--orig_master_host=127.0.0.1", "--orig_master_ip=127.0.0.1",
        "--orig_master_port=9", "--new_master_host=127.0.0.2", "--new_master_ip=127.0.0.2", "--new_master_port=9"};

    @TempDir
    Path dir;

    private Path config;
    private CommandLines handover;

    @BeforeEach
    void setUp() throws Exception {
        RecordingBackendFactory.reset();
        RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("127.0.0.1")));
        config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = x, connect-timeout = 200ms }
                    hosts = [
                      { name = db1, address = "127.0.0.1", port = 9 }
                      { name = db2, address = "127.0.0.2", port = 9 }
                      { name = db3, address = "127.0.0.3", port = 9 }
                    ]
                    redirect = [ { backend = recording, label = primary } ]
                    deadline = 4s
                  }
                }
                """);
        handover = new CommandLines(config);
    }

    private int run(String... args) {
        return handover.run(args);
    }

    private int hook(String command, String... mhaArgs) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(mhaArgs));
        return run(all.toArray(String[]::new));
    }

    private List<JournalEntry> journal() throws Exception {
        return new Journal(dir.resolve("journal")).read("main");
    }

    private Set<String> runsOf(String command) throws Exception {
        return journal().stream().filter(entry -> entry.command().equals(command)).map(JournalEntry::run).collect(Collectors.toSet());
    }

    @Test
    void mhasStopAndTheStartThatFollowsShareOneRunAndTheNextFailoverHasItsOwn() throws Exception {
        assertThat(hook("mha-hook", STOP)).isZero();
        assertThat(hook("mha-hook", START)).isZero();

        Set<String> stop = runsOf("mha-hook stop");
        assertThat(stop).hasSize(1).doesNotContainNull();
        assertThat(runsOf("mha-hook start")).isEqualTo(stop);

        assertThat(run("journal", "--cluster", "main")).isZero();
        String run = stop.iterator().next();
        assertThat(handover.out().lines()).isNotEmpty().allSatisfy(line -> assertThat(line).contains(" main     " + run + " mha-hook "));

        // the next failover (db2 the orig master now) is a run of its own, its start too
        Files.delete(dir.resolve("journal/main.jsonl"));
        RecordingBackendFactory.TARGETS.put("primary", new ArrayList<>(List.of("127.0.0.2")));
        assertThat(hook("mha-hook", "--command=stopssh", "--orig_master_host=127.0.0.2", "--orig_master_ip=127.0.0.2",
                "--orig_master_port=9")).isZero();
        assertThat(runsOf("mha-hook stopssh")).hasSize(1).doesNotContain(run);
        // a start whose orig master is not the stopped one does not join the stop's run
        assertThat(hook("mha-hook", START)).isZero();
        assertThat(runsOf("mha-hook start")).hasSize(1).doesNotContain(run).doesNotContainAnyElementsOf(runsOf("mha-hook stopssh"));
    }

    @Test
    void aStartLongAfterItsStopIsARunOfItsOwn() throws Exception {
        assertThat(hook("mha-hook", STOP)).isZero();
        String stop = runsOf("mha-hook stop").iterator().next();
        Path runFile = dir.resolve("journal/main.run");
        Files.writeString(runFile, Files.readString(runFile).replaceFirst("\"time\":\"[^\"]+\"",
                "\"time\":\"" + Instant.now().minus(io.handover.journal.RunIds.EXPIRY).minusSeconds(60) + "\""));

        assertThat(hook("mha-hook", START)).isZero();

        assertThat(runsOf("mha-hook start")).hasSize(1).doesNotContain(stop);
    }

    @Test
    void theReplacedMasterIsInTheJournalWithoutVerbose() throws Exception {
        // a start with no stop before it: clients are still sent to db1
        assertThat(hook("mha-hook", START)).isZero();

        assertThat(handover.out()).contains("recording primary: activate db2 ok in ").contains("(127.0.0.2:9; replaced [127.0.0.1])");
        assertThat(run("journal", "--cluster", "main")).isZero();
        assertThat(handover.out()).containsPattern("activate db2 +ok +\\d+ ms 127.0.0.2:9; replaced \\[127.0.0.1\\]");
    }

    @Test
    void anOnlineChangeStopThatCannotReachTheOrigMasterJournalsTheFailedFence() throws Exception {
        assertThat(hook("mha-online-change", STOP)).isEqualTo(ExitCode.FAILED);

        assertThat(handover.err()).startsWith("handover: cannot fence the orig master db1 (127.0.0.1:9): ");
        assertThat(handover.out()).contains("handover [main] fence db1 failed in ");
        assertThat(journal()).filteredOn(entry -> !entry.started())
                .extracting(entry -> entry.step() + " " + entry.outcome()).containsExactly("lock ok", "fence db1 failed");
        assertThat(RecordingBackendFactory.CALLS).isEmpty();
    }

    @Test
    void aRegisterRefusalIsJournalled() throws Exception {
        assertThat(run("register", "--cluster", "main")).isEqualTo(ExitCode.REFUSED);

        assertThat(handover.err()).startsWith("handover: refused: cluster main has 0 writable hosts, register needs exactly one");
        assertThat(journal()).filteredOn(entry -> !entry.started())
                .extracting(entry -> entry.command() + " " + entry.step() + " " + entry.outcome())
                .containsExactly("register find master refused");
        assertThat(journal().get(0).detail()).isNull();
        assertThat(journal().get(1).detail()).startsWith("refused: cluster main has 0 writable hosts");
        assertThat(RecordingBackendFactory.CALLS).isEmpty();
    }

    @Test
    void aJournalThatCannotBeReadIsAClearFailureNotAnUnexpectedError() throws Exception {
        Files.writeString(dir.resolve("journal"), "a file where the journal directory should be");

        assertThat(run("journal", "--cluster", "main")).isEqualTo(ExitCode.FAILED);
        assertThat(handover.err()).startsWith("handover: cannot read the journal of cluster main: ").contains("Not a directory")
                .doesNotContain("unexpected error", "Exception");
    }
}
