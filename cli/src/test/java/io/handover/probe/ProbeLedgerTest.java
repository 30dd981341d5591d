package io.handover.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.journal.JournalEntry;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeLedgerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final WriteError READ_ONLY = new WriteError("read-only", false, "read-only");
    private static final WriteError LOST = new WriteError("connection-lost", true, "Communications link failure");

    private static ProbeLedger.Attempt ok(long seq, long millis, String server) {
        return new ProbeLedger.Attempt(seq, T0.plusMillis(millis), millis * 1_000_000, server, null);
    }

    private static ProbeLedger.Attempt failed(long seq, long millis, String server, WriteError error) {
        return new ProbeLedger.Attempt(seq, T0.plusMillis(millis), millis * 1_000_000, server, error);
    }

    private static ProbeLedger ledger(ProbeLedger.Attempt... attempts) {
        ProbeLedger ledger = new ProbeLedger();
        for (ProbeLedger.Attempt attempt : attempts) {
            ledger.add(attempt);
        }
        return ledger;
    }

    private static final ProbeLedger SWITCH = ledger(
            ok(1, 0, "db1"), ok(2, 10, "db1"), failed(3, 20, "db1", LOST), failed(4, 30, null, WriteError.dns("NXDOMAIN")),
            failed(5, 40, "db1", READ_ONLY), ok(6, 150, "db2"), ok(7, 160, "db2"));

    @Test
    void longestOutageRunsFromOneAcknowledgementToTheNext() {
        ProbeLedger.Outage outage = SWITCH.longestOutage().orElseThrow();

        assertThat(outage).isEqualTo(new ProbeLedger.Outage(140, T0.plusMillis(10), "db1", "db2", 3));
        assertThat(ledger(ok(1, 0, "db1")).longestOutage()).isEmpty();
    }

    @Test
    void errorsAreCountedByKindAndWritesByServer() {
        assertThat(SWITCH.errorCounts()).containsExactly(
                Map.entry("connection-lost", 1), Map.entry("dns", 1), Map.entry("read-only", 1));
        assertThat(SWITCH.writesByServer()).containsExactly(Map.entry("db1", 2L), Map.entry("db2", 2L));
        assertThat(SWITCH.ambiguous()).extracting(ProbeLedger.Attempt::seq).containsExactly(3L);
    }

    @Test
    void errorsAreClassifiedByWhatTheApplicationSaw() {
        assertThat(WriteError.of(new SQLException("The MariaDB server is running with the --read-only option", "HY000", 1290), true))
                .isEqualTo(new WriteError("read-only", false, "The MariaDB server is running with the --read-only option"));
        assertThat(WriteError.of(new SQLException("super_read_only", "HY000", 1836), true).kind()).isEqualTo("read-only");
        assertThat(WriteError.of(new SQLException("Connection was killed", "70100", 1927), true))
                .isEqualTo(new WriteError("killed", true, "Connection was killed"));
        assertThat(WriteError.of(new SQLNonTransientConnectionException("Communications link failure\n\nmore", "08S01"), false))
                .isEqualTo(new WriteError("connect", false, "Communications link failure"));
        assertThat(WriteError.of(new SQLNonTransientConnectionException("Communications link failure", "08S01"), true))
                .isEqualTo(new WriteError("connection-lost", true, "Communications link failure"));
        assertThat(WriteError.of(new java.sql.SQLTimeoutException("timeout"), true).kind()).isEqualTo("timeout");
        assertThat(WriteError.of(new SQLException("Access denied", "28000", 1045), false).kind()).isEqualTo("access-denied");
        assertThat(WriteError.of(new SQLException("Duplicate entry", "23000", 1062), true))
                .isEqualTo(new WriteError("mysql-1062", false, "Duplicate entry"));
    }

    @Test
    void verdictFindsLostWritesAndWritesTakenWhileFenced() {
        List<FenceWindow> fences = List.of(new FenceWindow("db1", T0.plusMillis(15), T0.plusMillis(500), "switchover"));
        ProbeLedger ledger = ledger(ok(1, 0, "db1"), ok(2, 10, "db1"), ok(3, 20, "db1"), failed(4, 30, "db1", LOST), ok(5, 150, "db2"));

        ProbeVerdict verdict = ProbeVerdict.judge("db2", Map.of(1L, 1L, 2L, 1L, 4L, 1L, 5L, 2L), ledger, fences);

        assertThat(verdict.lost()).containsExactly(3L);
        assertThat(verdict.ambiguousLanded()).isEqualTo(1);
        assertThat(verdict.writesWhileFenced()).singleElement().asString()
                .startsWith("write 3 sent at ").contains(" was taken by db1, fenced at ");
        assertThat(verdict.passed()).isFalse();

        ProbeVerdict clean = ProbeVerdict.judge("db2", Map.of(1L, 1L, 2L, 1L, 3L, 1L, 5L, 2L),
                ledger(ok(1, 0, "db1"), ok(2, 10, "db1"), ok(5, 150, "db2")), fences);
        assertThat(clean.passed()).isTrue();
    }

    @Test
    void fenceWindowsEndWhenTheHostMayTakeWritesAgain() {
        List<JournalEntry> journal = List.of(
                entry(100, "fence db1"), entry(120, "release db1"), entry(200, "promote db2"),
                entry(300, "fence db2"), entry(350, "unfence db2"),
                entry(400, "fence db1", "failed"),
                entry(500, "fence db1"), entry(600, "activate db1"));

        assertThat(FenceWindow.from(journal, T0, T0.plusMillis(1000))).containsExactly(
                new FenceWindow("db1", T0.plusMillis(100), T0.plusMillis(600), "switchover"),
                new FenceWindow("db2", T0.plusMillis(300), T0.plusMillis(350), "switchover"),
                new FenceWindow("db1", T0.plusMillis(500), T0.plusMillis(600), "switchover"));
        assertThat(FenceWindow.from(journal, T0.plusMillis(450), T0.plusMillis(1000)))
                .containsExactly(new FenceWindow("db1", T0.plusMillis(500), T0.plusMillis(600), "switchover"));
    }

    private static JournalEntry entry(long millis, String step) {
        return entry(millis, step, "ok");
    }

    private static JournalEntry entry(long millis, String step, String outcome) {
        return new JournalEntry(T0.plusMillis(millis), "switchover", "main", null, step, outcome, 1, "");
    }
}
