package io.handover.awsroute;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.toolkit.RetryLoop;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The backoff EC2 asks for, for the toolkit's RetryLoop: exponential with jitter, longer after
 * throttling. EC2 throttles per account and action (a token bucket): when many things fail at once,
 * every client hammering it at a fixed pace keeps the bucket empty, so pauses after
 * RequestLimitExceeded grow from 250 ms up to 2 s, each a random point in its upper half; other
 * retryable failures pause 50 ms up to 1 s. When the deadline passes, the error says how many
 * attempts were throttled, so that "throttled to the end" reads as such. One per retried call.
 */
final class Ec2Backoff implements RetryLoop.Backoff {

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
    static final Duration FIRST_THROTTLED_PAUSE = Duration.ofMillis(250);
    static final Duration LONGEST_THROTTLED_PAUSE = Duration.ofSeconds(2);

    private int throttled;
    private int throttlesInARow;

    @Override
    public Duration pause(BackendException failure, int number) {
        boolean wasThrottled = Ec2Failure.throttled(failure);
        throttled += wasThrottled ? 1 : 0;
        throttlesInARow = wasThrottled ? throttlesInARow + 1 : 0;
        return wasThrottled ? pause(FIRST_THROTTLED_PAUSE, LONGEST_THROTTLED_PAUSE, throttlesInARow)
                : pause(FIRST_PAUSE, LONGEST_PAUSE, number);
    }

    /** A throttled call retried at the last millisecond would only be throttled again. */
    @Override
    public boolean hopeless(BackendException failure, Duration pause, Deadline deadline) {
        return Ec2Failure.throttled(failure) && deadline.remaining().compareTo(pause) <= 0;
    }

    @Override
    public String gaveUp(String what, String attempts, BackendException last) {
        if (Ec2Failure.throttled(last)) {
            return what + " was throttled by the EC2 API until the deadline (" + throttled + " of " + attempts
                    + " throttled; EC2 limits API calls per account and action): " + last.getMessage();
        }
        return what + " did not succeed by the deadline (" + attempts
                + (throttled > 0 ? ", " + throttled + " of them throttled" : "") + "): " + last.getMessage();
    }

    /** The {@code n}-th pause (from 1): {@code first} doubled n-1 times, at most {@code longest}; a random point in its upper half. */
    static Duration pause(Duration first, Duration longest, int n) {
        long ceiling = first.toMillis() << Math.min(n - 1, 20);
        ceiling = Math.min(ceiling, longest.toMillis());
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
