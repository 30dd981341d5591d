package io.handover.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every write the probe attempted and what became of it; computes what clients experienced. */
public final class ProbeLedger {

    /**
     * One attempt.
     *
     * @param seq its number: attempts are numbered 1, 2, 3... in the order they were sent
     * @param sentAt when it was sent (wall clock, to compare with the journal)
     * @param doneNanos when it was acknowledged or failed ({@link System#nanoTime()})
     * @param server the host that took it (or its address), null if it never reached one
     * @param error why it failed, null if acknowledged
     */
    public record Attempt(long seq, Instant sentAt, long doneNanos, String server, WriteError error) {
        public boolean acknowledged() {
            return error == null;
        }
    }

    /**
     * The longest span without an acknowledged write.
     *
     * @param millis its length, from one acknowledgement to the next
     * @param startedAt when the last write before it was sent
     * @param before the host that took the write before it
     * @param after the host that took the write after it
     * @param failures how many attempts failed in between
     */
    public record Outage(long millis, Instant startedAt, String before, String after, int failures) {}

    private final List<Attempt> attempts = new ArrayList<>();

    public synchronized void add(Attempt attempt) {
        attempts.add(attempt);
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public List<Attempt> acknowledged() {
        return attempts().stream().filter(Attempt::acknowledged).toList();
    }

    public List<Attempt> ambiguous() {
        return attempts().stream().filter(attempt -> !attempt.acknowledged() && attempt.error().ambiguous()).toList();
    }

    /** Failures by kind, sorted by name. */
    public Map<String, Integer> errorCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Attempt attempt : attempts()) {
            if (!attempt.acknowledged()) {
                counts.merge(attempt.error().kind(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Acknowledged writes per host, in the order hosts first took one. */
    public Map<String, Long> writesByServer() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Attempt attempt : acknowledged()) {
            counts.merge(attempt.server(), 1L, Long::sum);
        }
        return counts;
    }

    /** The longest gap between two consecutive acknowledged writes; empty with fewer than two. */
    public Optional<Outage> longestOutage() {
        List<Attempt> all = attempts();
        Attempt previous = null;
        Outage longest = null;
        int failures = 0;
        for (Attempt attempt : all) {
            if (!attempt.acknowledged()) {
                failures++;
                continue;
            }
            if (previous != null) {
                long millis = Duration.ofNanos(attempt.doneNanos() - previous.doneNanos()).toMillis();
                if (longest == null || millis > longest.millis()) {
                    longest = new Outage(millis, previous.sentAt(), previous.server(), attempt.server(), failures);
                }
            }
            previous = attempt;
            failures = 0;
        }
        return Optional.ofNullable(longest);
    }
}
