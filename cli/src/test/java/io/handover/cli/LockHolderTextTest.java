package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever can write the lock writes its holder's text: {@code lock} and the refusals print it on one
 * line with its control characters escaped, so that it cannot forge output lines or drive the terminal.
 * The lock file is held here, in this JVM, with a holder text that tries both.
 */
class LockHolderTextTest {

    private static final String FORGED = "mallory@elsewhere pid 1: x\u001b]0;pwned\u0007\u001b[2K\r12:00:00.000 INFO forged";
    private static final String SHOWN = "mallory@elsewhere pid 1: x\\u001b]0;pwned\\u0007\\u001b[2K\\r12:00:00.000 INFO forged";

    @TempDir
    Path dir;

    @Test
    void aHoldersControlCharactersAreShownEscapedEverywhere() throws Exception {
        Path config = dir.resolve("handover.conf");
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
        CommandLines handover = new CommandLines(config);
        Path lockFile = Files.createDirectories(dir.resolve("journal")).resolve("main.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            channel.write(ByteBuffer.wrap((FORGED + "\n2026-11-30T23:00:00Z\n").getBytes(StandardCharsets.UTF_8)));

            assertThat(handover.run("lock", "--cluster", "main")).isZero();
            assertThat(handover.out()).contains("\n  holder:  " + SHOWN + "\n").doesNotContainPattern("[\\p{Cntrl}&&[^\n]]");

            assertThat(handover.run("lock", "--cluster", "main", "--json")).isZero();
            assertThat(new ObjectMapper().readTree(handover.out()).get("holder").asText()).isEqualTo(SHOWN);

            assertThat(handover.run("lock", "--cluster", "main", "--force")).isEqualTo(ExitCode.REFUSED);
            assertThat(handover.err()).startsWith("handover: refused: the failover lock of cluster main is held by " + SHOWN + " since ")
                    .doesNotContainPattern("[\\p{Cntrl}&&[^\n]]");
            assertThat(Files.readString(dir.resolve("journal/main.jsonl"))).contains(SHOWN.replace("\\", "\\\\"));
        }
    }
}
