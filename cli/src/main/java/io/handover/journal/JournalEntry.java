package io.handover.journal;

import java.time.Instant;

/**
 * One step of one command, as written to the journal. Never holds a secret: details are
 * messages handover composed, not arguments it was given.
 *
 * @param time when the step ended; for a {@code started} entry, when it started
 * @param command what ran: {@code mha-hook start}
 * @param cluster the cluster it ran for
 * @param backend the redirect backend ({@code consul service main-master}), or null for other steps
 * @param step what was done: {@code release db1}, {@code activate db2}, {@code verify db2}, {@code fence db1}
 * @param outcome {@code started} (written before the step runs: a step cut short by a crash leaves
 *     this one alone), then {@code ok}, {@code failed}, {@code refused} or {@code proceeded}
 * @param durationMs how long the step took
 * @param detail what happened, for a human
 * @param id links a {@code started} entry to its outcome; null for outcomes recorded without one
 * @param run links the entries of one master change: one command run, or MHA's stop and the start
 *     that follows it ({@link RunIds}); null in entries written before runs were recorded
 */
public record JournalEntry(Instant time, String command, String cluster, String backend, String step, String outcome,
        long durationMs, String detail, String id, String run) {

    public static final String STARTED = "started";

    /** An entry outside any recorded run. */
    public JournalEntry(Instant time, String command, String cluster, String backend, String step, String outcome,
            long durationMs, String detail, String id) {
        this(time, command, cluster, backend, step, outcome, durationMs, detail, id, null);
    }

    /** An outcome with no {@code started} entry before it. */
    public JournalEntry(Instant time, String command, String cluster, String backend, String step, String outcome,
            long durationMs, String detail) {
        this(time, command, cluster, backend, step, outcome, durationMs, detail, null, null);
    }

    public boolean started() {
        return STARTED.equals(outcome);
    }
}
