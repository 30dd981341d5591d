package io.handover.cli;

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

/** MHA promotes a host the configuration says must not be master: the start hook warns, or refuses by config. */
class NonCandidatePromotionTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        RecordingBackendFactory.reset();
        RecordingBackendFactory.TARGETS.put("main", new ArrayList<>(List.of("198.51.100.11")));
    }

    private int start(String setting, String newMaster) throws Exception {
        Path config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = x }
                    hosts = [
                      { name = db1, address = "198.51.100.11" }
                      { name = db2, address = "198.51.100.12" }
                      { name = db3, address = "198.51.100.13", candidate = false }
                    ]
                    redirect = [ { backend = recording, label = main } ]
                    %s
                  }
                }
                """.formatted(setting));
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Handover.run(new String[] {"mha-hook", "--config=" + config, "--command=start",
            "--orig_master_host=198.51.100.11", "--orig_master_ip=198.51.100.11", "--orig_master_port=3306",
            "--new_master_host=" + newMaster, "--new_master_ip=" + newMaster, "--new_master_port=3306"},
                new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
    }

    private String journal() throws Exception {
        return Files.readString(dir.resolve("journal/main.jsonl"));
    }

    @Test
    void byDefaultAPromotedNonCandidateGetsTheClientsWithAWarningInMhasLogAndTheJournal() throws Exception {
        assertThat(start("", "198.51.100.13")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("handover [main] candidate db3 warning in 0 ms (MHA promoted db3, which has"
                + " candidate = false in ").contains("moving clients to it anyway (non-candidate-promotion = warn)");
        assertThat(journal()).contains("\"step\":\"candidate db3\"", "\"outcome\":\"warning\"");
        assertThat(RecordingBackendFactory.TARGETS.get("main")).containsExactly("198.51.100.13");
    }

    @Test
    void refuseMovesNoClientAndExitsFourSoThatMhaStops() throws Exception {
        assertThat(start("non-candidate-promotion = refuse", "198.51.100.13")).isEqualTo(ExitCode.REFUSED);

        assertThat(out.toString()).contains("handover [main] candidate db3 refused in 0 ms");
        assertThat(err.toString()).contains("non-candidate-promotion = refuse: no client was moved");
        assertThat(journal()).contains("\"outcome\":\"refused\"");
        assertThat(RecordingBackendFactory.CALLS).noneMatch(call -> call.contains("activate"));
        assertThat(RecordingBackendFactory.TARGETS.get("main")).containsExactly("198.51.100.11");
    }

    @Test
    void aCandidateIsPromotedWithoutAWordEvenWithRefuse() throws Exception {
        assertThat(start("non-candidate-promotion = refuse", "198.51.100.12")).as(err.toString()).isZero();

        assertThat(out.toString()).doesNotContain("candidate");
        assertThat(RecordingBackendFactory.TARGETS.get("main")).containsExactly("198.51.100.12");
    }

    @Test
    void anUnknownSettingIsAConfigurationError() throws Exception {
        assertThat(start("non-candidate-promotion = deny", "198.51.100.12")).isEqualTo(ExitCode.CONFIG);

        assertThat(err.toString()).contains("handover.clusters.main.non-candidate-promotion: 'deny' is not one of warn, refuse");
    }
}
