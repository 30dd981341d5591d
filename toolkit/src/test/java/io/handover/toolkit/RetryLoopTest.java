package io.handover.toolkit;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryLoopTest {

    @Test
    void retryableFailuresAreRetriedUntilAnAttemptSucceeds() throws Exception {
        String result = RetryLoop.run("switching", Deadline.after(ofSeconds(5)), attempt -> {
            if (attempt < 3) {
                throw BackendException.retryable("No cluster leader", null);
            }
            return "done on attempt " + attempt;
        });

        assertThat(result).isEqualTo("done on attempt 3");
    }

    @Test
    void aPermanentFailureEndsTheLoopAtOnce() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> RetryLoop.run("switching", Deadline.after(ofSeconds(5)), attempt -> {
            attempts.incrementAndGet();
            throw BackendException.permanent("Permission denied");
        })).hasMessage("Permission denied");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void atTheDeadlineTheLastFailureIsThrownWithTheNumberOfAttempts() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> RetryLoop.run("switching", Deadline.after(ofMillis(300)), attempt -> {
            throw BackendException.retryable("No cluster leader " + attempt, null);
        })).isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE))
                .hasMessageMatching("switching did not succeed by the deadline \\((\\d+) attempts in \\d+ ms\\): No cluster leader \\1");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 500L);
    }

    @Test
    void aWriteThatMayHaveBeenAppliedMakesTheFinalFailureAmbiguous() {
        assertThatThrownBy(() -> RetryLoop.run("switching", Deadline.after(ofMillis(200)), attempt -> {
            if (attempt == 1) {
                throw BackendException.ambiguous("leadership lost while committing log", null);
            }
            throw BackendException.retryable("No cluster leader", null);
        })).isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS))
                .hasMessageEndingWith(": No cluster leader; an earlier attempt may have been applied: leadership lost while committing log");
    }

    /** A backend's own policy decides the pauses, when retrying is hopeless, and what the final failure says. */
    @Test
    void aBackoffPolicyCanGiveUpEarlyAndNameWhy() {
        List<Integer> pausedAfter = new ArrayList<>();
        RetryLoop.Backoff twoTries = new RetryLoop.Backoff() {
            @Override
            public Duration pause(BackendException failure, int number) {
                pausedAfter.add(number);
                return ofMillis(10);
            }

            @Override
            public boolean hopeless(BackendException failure, Duration pause, Deadline deadline) {
                return pausedAfter.size() == 2;
            }

            @Override
            public String gaveUp(String what, String attempts, BackendException last) {
                return what + " gave up early (" + attempts + ")";
            }
        };

        assertThatThrownBy(() -> RetryLoop.run("switching", Deadline.after(ofSeconds(5)), twoTries, attempt -> {
            throw BackendException.retryable("busy", null);
        })).hasMessageMatching("switching gave up early \\(2 attempts in \\d+ ms\\)");
        assertThat(pausedAfter).containsExactly(1, 2);
    }
}
