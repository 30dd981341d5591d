package io.handover.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.journal.Journal;
import io.handover.journal.JournalEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepReporterTest {

    @TempDir
    Path dir;

    @Test
    void aStepIsInTheJournalBeforeItRunsAndItsOutcomeAfter() throws Exception {
        Journal journal = new Journal(dir);
        StringWriter out = new StringWriter();
        StepReporter reporter = new StepReporter("mha-hook start", "main", journal, new PrintWriter(out), new PrintWriter(new StringWriter()));

        reporter.run("consul service m", "activate db2", () -> {
            // what a crash here would leave behind
            assertThat(journal.read("main")).singleElement().satisfies(entry -> {
                assertThat(entry.outcome()).isEqualTo("started");
                assertThat(entry.step()).isEqualTo("activate db2");
                assertThat(entry.backend()).isEqualTo("consul service m");
                assertThat(entry.id()).isNotNull();
            });
            return "done";
        });
        assertThatThrownBy(() -> reporter.run(null, "verify db2", () -> {
            throw new IllegalStateException("no answer");
        })).hasMessage("no answer");

        List<JournalEntry> entries = journal.read("main");
        assertThat(entries).extracting(JournalEntry::step, JournalEntry::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("activate db2", "started"), org.assertj.core.groups.Tuple.tuple("activate db2", "ok"),
                org.assertj.core.groups.Tuple.tuple("verify db2", "started"), org.assertj.core.groups.Tuple.tuple("verify db2", "failed"));
        assertThat(entries.get(0).id()).isEqualTo(entries.get(1).id()).isNotEqualTo(entries.get(2).id());
        assertThat(entries.get(2).id()).isEqualTo(entries.get(3).id());
        // stdout keeps one line per step, with its outcome
        assertThat(out.toString().lines()).hasSize(2);
    }
}
