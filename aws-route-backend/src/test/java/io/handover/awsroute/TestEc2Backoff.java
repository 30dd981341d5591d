package io.handover.awsroute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import io.handover.toolkit.RetryLoop;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestEc2Backoff {

    private static BackendException throttled() {
        return new BackendException(Kind.RETRYABLE, "reading: throttled by the EC2 API (RequestLimitExceeded)",
                new Ec2Failure("RequestLimitExceeded", true, "throttled", null));
    }

    @Test
    void pausesGrowExponentiallyWithJitterUpToTheLongest() {
        for (int n = 1; n <= 12; n++) {
            long ceiling = Math.min(250L << (n - 1), 2000);
            for (int i = 0; i < 50; i++) {
                long pause = Ec2Backoff.pause(Ec2Backoff.FIRST_THROTTLED_PAUSE, Ec2Backoff.LONGEST_THROTTLED_PAUSE, n).toMillis();
                assertThat(pause).as("pause %d", n).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void aFewThrottledAttemptsThenSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        String result = RetryLoop.run("reading", Deadline.after(Duration.ofSeconds(10)), new Ec2Backoff(), number -> {
            if (calls.incrementAndGet() <= 2) {
                throw throttled();
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void throttledToTheDeadlineSaysSoAndEndsInTime() {
        long start = System.nanoTime();

        BackendException failure = catchThrowableOfType(BackendException.class,
                () -> RetryLoop.run("activating db2 in aws route 198.18.200.10/32", Deadline.after(Duration.ofMillis(1500)), new Ec2Backoff(), number -> {
                    throw throttled();
                }));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1600));
        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure.getMessage()).startsWith("activating db2 in aws route 198.18.200.10/32 was throttled by the EC2 API until the deadline (")
                .contains(" throttled; EC2 limits API calls per account and action): reading: throttled by the EC2 API (RequestLimitExceeded)");
    }

    @Test
    void aPermanentFailureEndsAtOnce() {
        AtomicInteger calls = new AtomicInteger();

        BackendException failure = catchThrowableOfType(BackendException.class, () -> RetryLoop.run("x", Deadline.after(Duration.ofSeconds(5)), new Ec2Backoff(), n -> {
            calls.incrementAndGet();
            throw BackendException.permanent("no such route table");
        }));

        assertThat(failure).hasMessage("no such route table");
        assertThat(calls).hasValue(1);
    }

    @Test
    void anEarlierAmbiguousAttemptMakesTheEndAmbiguous() {
        BackendException failure = catchThrowableOfType(BackendException.class, () -> RetryLoop.run("x", Deadline.after(Duration.ofMillis(400)), new Ec2Backoff(), n -> {
            throw n == 1 ? BackendException.ambiguous("no answer in time", null) : throttled();
        }));

        assertThat(failure.kind()).isEqualTo(Kind.AMBIGUOUS);
        assertThat(failure.getMessage()).contains("an earlier attempt may have been applied: no answer in time");
    }
}
