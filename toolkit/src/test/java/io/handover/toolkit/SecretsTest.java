package io.handover.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.handover.api.ConfigProblem;
import io.handover.api.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;

    private final HoconConfigReader reader = HoconConfigReader.of(ConfigFactory.parseMap(Map.of("x", 1)));

    private String onlyProblem() {
        assertThat(reader.problems()).hasSize(1);
        ConfigProblem problem = reader.problems().get(0);
        return problem.path() + ": " + problem.message();
    }

    @Test
    void aSmallTextFileIsReadAndStripped() throws Exception {
        Files.writeString(dir.resolve("token"), " s3cr3t\n");

        assertThat(Secrets.readFile(reader, "token-file", dir.resolve("token")).map(Secret::reveal)).contains("s3cr3t");
        assertThat(reader.problems()).isEmpty();
    }

    @Test
    @Timeout(20)
    void aFifoOrADeviceIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

        assertThat(Secrets.readFile(reader, "token-file", fifo)).isEmpty();
        assertThat(Secrets.readFile(reader, "token-file", Path.of("/dev/zero"))).isEmpty();
        assertThat(reader.problems()).extracting(ConfigProblem::message)
                .containsExactly("'" + fifo + "' is not a regular file", "'/dev/zero' is not a regular file");
    }

    @Test
    void aFileTooLargeForASecretIsRefused() throws Exception {
        Files.write(dir.resolve("big"), new byte[(int) Secrets.MAX_FILE_BYTES + 1]);

        assertThat(Secrets.readFile(reader, "token-file", dir.resolve("big"))).isEmpty();
        assertThat(onlyProblem()).isEqualTo("token-file: '" + dir.resolve("big") + "' is larger than 64 KiB: not a secret file");
    }

    @Test
    void aFileThatIsNotTextIsSaidSo() throws Exception {
        Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});

        assertThat(Secrets.readFile(reader, "token-file", dir.resolve("binary"))).isEqualTo(Optional.empty());
        assertThat(onlyProblem()).isEqualTo("token-file: '" + dir.resolve("binary") + "' is not UTF-8 text");
    }
}
