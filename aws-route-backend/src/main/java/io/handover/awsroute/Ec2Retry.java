package io.handover.awsroute;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats an attempt until it succeeds, fails for good, or the deadline passes, like the toolkit's
 * RetryLoop, but with the backoff EC2 asks for: exponential with jitter, longer after throttling.
 * EC2 throttles per account and action (a token bucket): when many things fail at once, every
 * client hammering it at a fixed pace keeps the bucket empty, so pauses after RequestLimitExceeded
 * grow from 250 ms up to 2 s, each a random point in its upper half; other retryable failures
 * pause 50 ms up to 1 s. When the deadline passes, the error says how many attempts were
 * throttled, so that "throttled to the end" reads as such.
 */
final class Ec2Retry {

    private static final Logger log = LoggerFactory.getLogger(Ec2Retry.class);
    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
    static final Duration FIRST_THROTTLED_PAUSE = Duration.ofMillis(250);
    static final Duration LONGEST_THROTTLED_PAUSE = Duration.ofSeconds(2);

    /** One try; {@code number} starts at 1. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int number) throws BackendException;
    }

    private Ec2Retry() {}

    /**
     * The first result of {@code attempt}. When the deadline passes, throws the last failure, as
     * AMBIGUOUS if any attempt might have applied a write.
     */
    static <T> T run(String what, Deadline deadline, Attempt<T> attempt) throws BackendException {
        long start = System.nanoTime();
        BackendException ambiguous = null;
        int throttled = 0;
        int failuresInARow = 0;
        int throttlesInARow = 0;
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
            boolean wasThrottled = Ec2Failure.throttled(failure);
            throttled += wasThrottled ? 1 : 0;
            throttlesInARow = wasThrottled ? throttlesInARow + 1 : 0;
            failuresInARow++;
            Duration pause = wasThrottled ? pause(FIRST_THROTTLED_PAUSE, LONGEST_THROTTLED_PAUSE, throttlesInARow)
                    : pause(FIRST_PAUSE, LONGEST_PAUSE, failuresInARow);
            if (over(deadline) || deadline.remaining().compareTo(pause) <= 0 && wasThrottled) {
                // a throttled call retried at the last millisecond would only be throttled again
                throw giveUp(what, number, throttled, start, failure, ambiguous);
            }
            try {
                deadline.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException(ambiguous != null ? Kind.AMBIGUOUS : Kind.RETRYABLE, what + " was interrupted", e);
            }
            if (over(deadline)) {
                throw giveUp(what, number, throttled, start, failure, ambiguous);
            }
        }
    }

    /** The {@code n}-th pause (from 1): {@code first} doubled n-1 times, at most {@code longest}; a random point in its upper half. */
    static Duration pause(Duration first, Duration longest, int n) {
        long ceiling = first.toMillis() << Math.min(n - 1, 20);
        ceiling = Math.min(ceiling, longest.toMillis());
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private static boolean over(Deadline deadline) {
        return deadline.remaining().compareTo(Duration.ofMillis(1)) < 0;
    }

    private static BackendException giveUp(String what, int attempts, int throttled, long start, BackendException last,
            BackendException ambiguous) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        String count = attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + millis + " ms";
        String message;
        if (Ec2Failure.throttled(last)) {
            message = what + " was throttled by the EC2 API until the deadline (" + throttled + " of " + count
                    + " throttled; EC2 limits API calls per account and action): " + last.getMessage();
        } else {
            message = what + " did not succeed by the deadline (" + count
                    + (throttled > 0 ? ", " + throttled + " of them throttled" : "") + "): " + last.getMessage();
        }
        if (ambiguous != null && ambiguous != last) {
            message += "; an earlier attempt may have been applied: " + ambiguous.getMessage();
        }
        return new BackendException(ambiguous != null ? Kind.AMBIGUOUS : last.kind(), message, last);
    }
}
