package io.handover.switchover;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * How long each step of a switchover took, for the summary at its end. Also marks the span in
 * which clients could not write: from the fence to the redirect's verification.
 */
public final class Timeline {

    /** @param outcome {@code ok} or {@code failed} */
    public record Entry(String step, long durationMs, String outcome) {}

    private final long startNanos = System.nanoTime();
    private final List<Entry> entries = new ArrayList<>();
    private long blockedFromNanos;
    private long blockedUntilNanos;

    /** A step's work, timed whether it succeeds or throws. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    public <T> T measure(String step, Work<T> work) throws Exception {
        long start = System.nanoTime();
        try {
            T result = work.run();
            entries.add(new Entry(step, millisSince(start), "ok"));
            return result;
        } catch (Exception e) {
            entries.add(new Entry(step, millisSince(start), "failed"));
            throw e;
        }
    }

    /** A step timed by its caller, from {@code startNanos} ({@link System#nanoTime()}) to now. */
    public void record(String step, long startNanos, String outcome) {
        entries.add(new Entry(step, millisSince(startNanos), outcome));
    }

    public void writesBlocked() {
        blockedFromNanos = System.nanoTime();
    }

    public void writesResumed() {
        blockedUntilNanos = System.nanoTime();
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public long totalMs() {
        return millisSince(startNanos);
    }

    /** The span without a writable master clients are sent to; -1 if it did not both start and end. */
    public long writesBlockedMs() {
        return blockedFromNanos == 0 || blockedUntilNanos == 0 ? -1 : (blockedUntilNanos - blockedFromNanos) / 1_000_000;
    }

    public void print(String headline, PrintWriter out) {
        out.println(headline);
        for (Entry entry : entries) {
            out.printf("  %-28s %7d ms%s%n", entry.step(), entry.durationMs(), entry.outcome().equals("ok") ? "" : "  " + entry.outcome());
        }
        out.flush();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
