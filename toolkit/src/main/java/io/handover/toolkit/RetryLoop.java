package io.handover.toolkit;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats an attempt until it succeeds, fails for good, or the deadline passes, pausing a little
 * longer after each failure, up to half a second: a peer that is briefly unavailable (Consul
 * electing a leader, docs/CONSUL.md; EC2 throttling) must not fail a failover hook exactly when it
 * is needed. Attempts must be idempotent.
 */
public final class RetryLoop {

    private static final Logger log = LoggerFactory.getLogger(RetryLoop.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(500);

    /** One try; {@code number} starts at 1. */
    public interface Attempt<T> {
        T run(int number) throws BackendException;
    }

    private RetryLoop() {}

    /**
     * The first result of {@code attempt}. When the deadline passes, throws the last failure, as
     * AMBIGUOUS if any attempt might have applied a write: a later failure does not undo that.
     */
    public static <T> T run(String what, Deadline deadline, Attempt<T> attempt) throws BackendException {
        long start = System.nanoTime();
        Duration pause = FIRST_PAUSE;
        BackendException ambiguous = null;
        for (int number = 1; ; number++) {
            BackendException failure;
            try {
                return attempt.run(number);
            } catch (BackendException e) {
                if (e.kind() == Kind.PERMANENT) {
                    throw e;
                }
                failure = e;
                ambiguous = e.kind() == Kind.AMBIGUOUS ? e : ambiguous;
                log.debug("{}: attempt {} failed: {}", what, number, e.getMessage());
            }
            if (over(deadline)) {
                throw giveUp(what, number, start, failure, ambiguous);
            }
            try {
                deadline.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException(ambiguous != null ? Kind.AMBIGUOUS : Kind.RETRYABLE, what + " was interrupted", e);
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            if (over(deadline)) {
                throw giveUp(what, number, start, failure, ambiguous);
            }
        }
    }

    /** Less than a millisecond left: too little for a network call, and {@link Deadline#sleep} would not pause. */
    private static boolean over(Deadline deadline) {
        return deadline.remaining().compareTo(Duration.ofMillis(1)) < 0;
    }

    private static BackendException giveUp(String what, int attempts, long start, BackendException last, BackendException ambiguous) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        String message = what + " did not succeed by the deadline (" + attempts + (attempts == 1 ? " attempt" : " attempts")
                + " in " + millis + " ms): " + last.getMessage();
        if (ambiguous != null && ambiguous != last) {
            message += "; an earlier attempt may have been applied: " + ambiguous.getMessage();
        }
        return new BackendException(ambiguous != null ? Kind.AMBIGUOUS : last.kind(), message, last);
    }
}
