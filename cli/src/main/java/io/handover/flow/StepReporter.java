package io.handover.flow;

import io.handover.journal.Journal;
import io.handover.journal.JournalEntry;
import io.handover.journal.RunIds;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * Reports each step twice: one readable line on stdout (MHA copies it into its log) and one
 * fsynced journal entry. A journal that cannot be written is reported but does not stop a
 * failover half way: moving clients matters more than recording it. Backends report from their
 * own threads ({@link Redirector} moves them at once), so each line and entry is written whole.
 */
public final class StepReporter {

    private final String command;
    private final String cluster;
    private final Journal journal;
    private final PrintWriter out;
    private final PrintWriter err;
    private final String run;
    private boolean journalBroken;

    /** For a command run that is a run of its own. */
    public StepReporter(String command, String cluster, Journal journal, PrintWriter out, PrintWriter err) {
        this(command, cluster, journal, out, err, RunIds.fresh());
    }

    /** @param run the run these steps belong to ({@link RunIds}) */
    public StepReporter(String command, String cluster, Journal journal, PrintWriter out, PrintWriter err, String run) {
        this.run = run;
        this.command = command;
        this.cluster = cluster;
        this.journal = journal;
        this.out = out;
        this.err = err;
    }

    /** A step's work; its return value becomes the detail of a successful step. */
    @FunctionalInterface
    public interface Step {
        String run() throws Exception;
    }

    /** Runs and reports one step; rethrows its failure after reporting it. */
    public void run(String backend, String step, Step action) throws Exception {
        call(backend, step, action::run, detail -> detail);
    }

    /** Runs and reports one step that yields a value, such as a lock's lease; {@code detail} describes it. */
    public <T> T call(String backend, String step, java.util.concurrent.Callable<T> action,
            java.util.function.Function<T, String> detail) throws Exception {
        // In the journal before it runs: a crash in the middle of a step must leave a trace of it.
        String id = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        journal(new JournalEntry(Instant.now(), command, cluster, backend, step, JournalEntry.STARTED, 0, null, id, run));
        long start = System.nanoTime();
        try {
            T result = action.call();
            report(backend, step, "ok", elapsedMs(start), detail.apply(result), id);
            return result;
        } catch (Exception e) {
            // a safety check's refusal changed nothing: the journal says so apart from failures
            report(backend, step, e instanceof RefusedException ? "refused" : "failed", elapsedMs(start), e.getMessage(), id);
            throw e;
        }
    }

    /** Records an outcome decided elsewhere, such as a secondary failure MHA may proceed past. */
    public void report(String backend, String step, String outcome, long durationMs, String detail) {
        report(backend, step, outcome, durationMs, detail, null);
    }

    /** Journals a step refused before it ran, without a step line: the command's error message alone says why. */
    public void journalRefusal(String backend, String step, String detail) {
        journal(new JournalEntry(Instant.now(), command, cluster, backend, step, "refused", 0, detail, null, run));
    }

    private synchronized void report(String backend, String step, String outcome, long durationMs, String text, String id) {
        // one line per step in MHA's log: a driver's message may run on over several
        String detail = text == null ? null : text.strip().replaceAll("\\s*\\R\\s*", " ");
        String where = backend == null ? "" : backend + ": ";
        out.println("handover [" + cluster + "] " + where + step + " " + outcome + " in " + durationMs + " ms"
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        out.flush();
        journal(new JournalEntry(Instant.now(), command, cluster, backend, step, outcome, durationMs, detail, id, run));
    }

    private synchronized void journal(JournalEntry entry) {
        if (journal == null || journalBroken) {
            return;
        }
        try {
            journal.append(entry);
        } catch (IOException e) {
            journalBroken = true;
            err.println("handover: warning: cannot write the journal " + journal.file(cluster) + ": " + e);
            err.flush();
        }
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
