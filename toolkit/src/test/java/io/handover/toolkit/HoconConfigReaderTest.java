package io.handover.toolkit;

import io.handover.api.ConfigProblem;
import io.handover.api.ConfigReader;
import io.handover.api.Secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoconConfigReaderTest {

    @TempDir
    Path dir;

    private HoconConfigReader read(String text) throws Exception {
        Path file = dir.resolve("main.conf");
        Files.writeString(file, text);
        return HoconConfigReader.of(ConfigFactory.parseFile(file.toFile()).resolve());
    }

    private List<String> problems(HoconConfigReader reader) {
        return reader.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void relativeFilesStartAtTheFolderOfTheFileThatSetsThem() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/included.conf"), "b = \"token\"\n");
        HoconConfigReader reader = read("include \"conf.d/included.conf\"\na = \"secret\"\nc = \"/etc/abs\"\n");

        assertThat(reader.file("a")).contains(dir.resolve("secret"));
        assertThat(reader.file("b")).contains(dir.resolve("conf.d/token"));
        assertThat(reader.file("c")).contains(Path.of("/etc/abs"));
        assertThat(reader.file("absent")).isEmpty();
    }

    @Test
    void aDurationWithoutAUnitIsRefusedNotReadAsMilliseconds() throws Exception {
        HoconConfigReader reader = read("deadline = 30\nquoted = \"2\"\nfine = 30s\n");

        assertThat(reader.duration("deadline", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(reader.duration("quoted", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(reader.duration("fine", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(30));
        String f = dir.resolve("main.conf").toString();
        assertThat(problems(reader)).containsExactly(
                "deadline: '30' has no unit (write it with one: 500ms, 30s, 1m) (" + f + ":1)",
                "quoted: '2' has no unit (write it with one: 500ms, 30s, 1m) (" + f + ":2)");
    }

    @Test
    void aDurationLongerThanADayIsRefusedNotClamped() throws Exception {
        HoconConfigReader reader = read("a = 1000000 days\nb = 99999999999999999999 days\nc = 24h\n");

        assertThat(reader.duration("a", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(reader.duration("b", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(reader.duration("c", Duration.ofSeconds(7))).isEqualTo(Duration.ofHours(24));
        String f = dir.resolve("main.conf").toString();
        assertThat(problems(reader)).containsExactly(
                "a: must be at most 24h, got '1000000 days': no timeout, wait or interval of handover can mean that (" + f + ":1)",
                "b: '99999999999999999999 days' is not a duration (use a number and a unit: 500ms, 5s, 1m) (" + f + ":2)");
    }

    @Test
    void aStringMapReadsEveryEntryAndReportsNonStrings() throws Exception {
        HoconConfigReader reader = read("interfaces { db1 = eth1, db2 = { x = 1 } }\n");

        ConfigReader asSeenByABackend = reader;
        assertThat(asSeenByABackend.stringMap("interfaces")).containsExactly(java.util.Map.entry("db1", "eth1"));
        assertThat(problems(reader)).singleElement().asString().startsWith("interfaces.db2: expected a string, got an object");
    }

    @Test
    void typedReadsReportWhatIsWrongAndFallBack() throws Exception {
        HoconConfigReader reader = read("d = soon\nn = 99999\ns = [1]\nb = maybe\nl = \"x\"\n");

        assertThat(reader.duration("d", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(reader.integer("n", 7, 1, 100)).isEqualTo(7);
        assertThat(reader.string("s")).isNull();
        assertThat(reader.bool("b", true)).isTrue();
        assertThat(reader.stringList("l", List.of("default"))).containsExactly("default");
        String f = dir.resolve("main.conf").toString();
        assertThat(problems(reader)).containsExactly(
                "d: 'soon' is not a duration (use a number and a unit: 500ms, 5s, 1m) (" + f + ":1)",
                "n: 99999 is out of range 1-100 (" + f + ":2)",
                "s: expected a string, got a list (" + f + ":3)",
                "b: expected a boolean, got a string (" + f + ":4)",
                "l: expected a list of strings, got a string (" + f + ":5)");
    }

    @Test
    void theSameProblemFoundTwiceIsReportedOnce() throws Exception {
        HoconConfigReader root = read("shared { typo = 1 }\n");

        root.object("shared").rejectUnknownKeys();
        root.object("shared").rejectUnknownKeys();

        assertThat(problems(root)).containsExactly("shared.typo: unknown key 'typo' (" + dir.resolve("main.conf") + ":1)");
    }

    @Test
    void misspeltKeysGetASuggestionOnlyWhenClose() {
        assertThat(HoconConfigReader.closest("adresses", Set.of("addresses", "dns"))).contains("addresses");
        assertThat(HoconConfigReader.closest("completely-different", Set.of("addresses", "dns"))).isEmpty();
    }

    @Test
    void secretsAreRecordedAndNeverPrinted() throws Exception {
        HoconConfigReader reader = read("token = hunter2\n");

        Secret token = reader.secret("token").orElseThrow();

        assertThat(token.reveal()).isEqualTo("hunter2");
        assertThat(token).hasToString("[REDACTED]");
        assertThat(reader.secretPaths()).containsExactly("token");
    }
}
