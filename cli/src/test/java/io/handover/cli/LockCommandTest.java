package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.lock.ClusterLocks;
import io.handover.lock.LockHolderProcess;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handover lock} with a lock file, held by another JVM; the Consul lock is in LockIT against the lab's Consul. */
class LockCommandTest {

    @TempDir
    Path dir;

    private Path config;
    private CommandLines handover;

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = x }
                    hosts = [ { name = db1, address = "127.0.0.1", port = 9 }, { name = db2, address = "127.0.0.2", port = 9 } ]
                    redirect = [ { backend = recording, label = primary } ]
                  }
                }
                """);
        handover = new CommandLines(config);
    }

    private int run(String... args) {
        return handover.run(args);
    }

    private Path lockFile() {
        return dir.resolve("journal/main.lock");
    }

    @Test
    void helpSaysWhatForceBreaksAndWhatItDoesNot() {
        assertThat(run("lock", "--help")).isZero();
        assertThat(handover.out()).startsWith("Usage: handover lock");
        assertThat(handover.out().replaceAll("\\s+", " ")).contains("--force", "destroying its holder's session",
                "A lock file is never broken");
        assertThat(run("lock")).isEqualTo(ExitCode.USAGE);
        assertThat(handover.err()).contains("Missing required option: '--cluster=NAME'");
    }

    @Test
    void aFreeLockIsShownAndForceRefusesOnceAndJournalsIt() throws Exception {
        assertThat(run("lock", "--cluster", "main")).isZero();
        assertThat(handover.out()).isEqualTo("cluster main: the failover lock is free (lock file " + lockFile() + ")\n");

        assertThat(run("lock", "--cluster", "main", "--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(handover.out());
        assertThat(json.get("held").asBoolean()).isFalse();
        assertThat(json.get("backend").asText()).isEqualTo("file");
        assertThat(json.get("holder").isNull()).isTrue();

        String refusal = "handover: refused: nothing to break, the failover lock of cluster main is free (lock file " + lockFile() + ")\n";
        assertThat(run("lock", "--cluster", "main", "--force")).isEqualTo(ExitCode.REFUSED);
        assertThat(handover.err()).isEqualTo(refusal);
        assertThat(handover.out()).as("no step line that repeats the refusal").isEmpty();
        assertThat(run("lock", "--cluster", "main", "--force", "--json")).isEqualTo(ExitCode.REFUSED);
        assertThat(handover.err()).isEqualTo(refusal);
        assertThat(handover.out()).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("journal/main.jsonl"))).hasSize(2).allSatisfy(entry -> assertThat(entry)
                .contains("\"command\":\"lock --force\"", "\"step\":\"break lock\"", "\"outcome\":\"refused\"",
                        "nothing to break"));
    }

    /** lock logs in to no MySQL server: an unset password, or another cluster's broken block, must not stop it. */
    @Test
    void theLockIsShownWithoutTheMysqlPasswordAndDespiteAnotherBrokenCluster() throws Exception {
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = ${?HANDOVER_TEST_UNSET_PASSWORD} }
                    hosts = [ { name = db1, address = "127.0.0.1", port = 9 }, { name = db2, address = "127.0.0.2", port = 9 } ]
                    redirect = [ { backend = recording, label = primary } ]
                  }
                  clusters.other { hosts = [] }
                }
                """);

        assertThat(run("lock", "--cluster", "main")).as(handover.err()).isZero();
        assertThat(handover.out()).isEqualTo("cluster main: the failover lock is free (lock file " + lockFile() + ")\n");
        assertThat(run("lock", "--cluster", "nosuch")).isEqualTo(ExitCode.USAGE);
        assertThat(handover.err()).startsWith("handover: no cluster named 'nosuch'");
    }

    @Test
    void aHeldLockFileNamesItsLiveHolderAndIsNeverBroken() throws Exception {
        Files.createDirectories(lockFile().getParent());
        Process holder = LockHolderProcess.start(lockFile().toString());
        try {
            String owner = LockHolderProcess.owner(holder);
            assertThat(run("lock", "--cluster", "main")).isZero();
            assertThat(handover.out()).startsWith("cluster main: the failover lock is held (lock file " + lockFile() + ")\n"
                    + "  holder:  " + owner + "\n"
                    + "  process: pid " + holder.pid() + " on " + ClusterLocks.process(owner).orElseThrow().host() + " (this host; running)\n"
                    + "  since:   ");

            assertThat(run("lock", "--cluster", "main", "--json")).isZero();
            JsonNode json = new ObjectMapper().readTree(handover.out());
            assertThat(json.get("held").asBoolean()).isTrue();
            assertThat(json.get("holder").asText()).isEqualTo(owner);
            assertThat(json.get("pid").asLong()).isEqualTo(holder.pid());
            assertThat(json.get("running").asBoolean()).isTrue();
            assertThat(json.get("since").asText()).isNotEmpty();

            assertThat(run("lock", "--cluster", "main", "--force")).isEqualTo(ExitCode.REFUSED);
            assertThat(handover.out()).isEmpty();
            assertThat(handover.err()).startsWith("handover: refused: the failover lock of cluster main is held by " + owner + " since ")
                    .endsWith("a lock file frees itself when its holder's process ends, so that process is alive; end it if it hangs."
                            + " Nothing was changed\n");
            assertThat(holder.isAlive()).isTrue();
            assertThat(run("lock", "--cluster", "main")).isZero();
            assertThat(handover.out()).contains("is held");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(run("lock", "--cluster", "main")).isZero();
        assertThat(handover.out()).contains("is free");
    }

    /**
     * Whoever can write the lock writes its holder's text: lock and the refusals print it on one line
     * with its control characters escaped, so that it cannot forge output lines or drive the terminal.
     * The lock file is held here, in this JVM, with a holder text that tries both.
     */
    @Test
    void aHoldersControlCharactersAreShownEscapedEverywhere() throws Exception {
        String forged = "mallory@elsewhere pid 1: x\u001b]0;pwned\u0007\u001b[2K\r12:00:00.000 INFO forged";
        String shown = "mallory@elsewhere pid 1: x\\u001b]0;pwned\\u0007\\u001b[2K\\r12:00:00.000 INFO forged";
        Files.createDirectories(lockFile().getParent());
        try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            channel.write(ByteBuffer.wrap((forged + "\n2026-11-30T23:00:00Z\n").getBytes(StandardCharsets.UTF_8)));

            assertThat(run("lock", "--cluster", "main")).isZero();
            assertThat(handover.out()).contains("\n  holder:  " + shown + "\n").doesNotContainPattern("[\\p{Cntrl}&&[^\n]]");

            assertThat(run("lock", "--cluster", "main", "--json")).isZero();
            assertThat(new ObjectMapper().readTree(handover.out()).get("holder").asText()).isEqualTo(shown);

            assertThat(run("lock", "--cluster", "main", "--force")).isEqualTo(ExitCode.REFUSED);
            assertThat(handover.err()).startsWith("handover: refused: the failover lock of cluster main is held by " + shown + " since ")
                    .doesNotContainPattern("[\\p{Cntrl}&&[^\n]]");
            assertThat(Files.readString(dir.resolve("journal/main.jsonl"))).contains(shown.replace("\\", "\\\\"));
        }
    }
}
