package io.handover.toolkit;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats an attempt until it succeeds, fails for good, or the deadline passes, pausing after each
 * failure as its {@link Backoff} says: a peer that is briefly unavailable (Consul electing a leader,
 * docs/CONSUL.md; EC2 throttling, docs/AWS.md) must not fail a failover hook exactly when it is
 * needed. Attempts must be idempotent.
 */
public final class RetryLoop {

    private static final Logger log = LoggerFactory.getLogger(RetryLoop.class);

    /** One try; {@code number} starts at 1. */
    public interface Attempt<T> {
        T run(int number) throws BackendException;
    }

    /**
     * How long to pause after each failed attempt, and how to say that the deadline won. One
     * instance per run: a policy may count what failed so far.
     */
    public interface Backoff {

        /** The pause after attempt {@code number} failed with {@code failure}. */
        Duration pause(BackendException failure, int number);

        /** Whether to stop now rather than pause: another attempt so late could only fail the same way. */
        default boolean hopeless(BackendException failure, Duration pause, Deadline deadline) {
            return false;
        }

        /** The message of the failure thrown at the deadline; {@code attempts} reads "3 attempts in 812 ms". */
        default String gaveUp(String what, String attempts, BackendException last) {
            return what + " did not succeed by the deadline (" + attempts + "): " + last.getMessage();
        }
    }

    /** 50 ms after the first failure, doubling up to half a second: what Consul's short leader elections need. */
    public static Backoff doubling() {
        return (failure, number) -> {
            Duration pause = Duration.ofMillis(50L << Math.min(number - 1, 4));
            return pause.compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500) : pause;
        };
    }

    private RetryLoop() {}

    /** {@link #run(String, Deadline, Backoff, Attempt)} with the {@link #doubling()} backoff. */
    public static <T> T run(String what, Deadline deadline, Attempt<T> attempt) throws BackendException {
        return run(what, deadline, doubling(), attempt);
    }

    /**
     * The first result of {@code attempt}. When the deadline passes, throws the last failure, as
     * AMBIGUOUS if any attempt might have applied a write: a later failure does not undo that.
     */
    public static <T> T run(String what, Deadline deadline, Backoff backoff, Attempt<T> attempt) throws BackendException {
        long start = System.nanoTime();
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
            Duration pause = backoff.pause(failure, number);
            if (over(deadline) || backoff.hopeless(failure, pause, deadline)) {
                throw giveUp(what, backoff, number, start, failure, ambiguous);
            }
            try {
                deadline.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException(ambiguous != null ? Kind.AMBIGUOUS : Kind.RETRYABLE, what + " was interrupted", e);
            }
            if (over(deadline)) {
                throw giveUp(what, backoff, number, start, failure, ambiguous);
            }
        }
    }

    /** Less than a millisecond left: too little for a network call, and {@link Deadline#sleep} would not pause. */
    private static boolean over(Deadline deadline) {
        return deadline.remaining().compareTo(Duration.ofMillis(1)) < 0;
    }

    private static BackendException giveUp(String what, Backoff backoff, int attempts, long start, BackendException last,
            BackendException ambiguous) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        String message = backoff.gaveUp(what, attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + millis + " ms", last);
        if (ambiguous != null && ambiguous != last) {
            message += "; an earlier attempt may have been applied: " + ambiguous.getMessage();
        }
        return new BackendException(ambiguous != null ? Kind.AMBIGUOUS : last.kind(), message, last);
    }
}
