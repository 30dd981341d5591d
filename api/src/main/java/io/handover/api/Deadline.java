package io.handover.api;

import java.time.Duration;

/**
 * The point in time by which a whole operation must be done. Passed down instead of separate
 * timeouts, so that retries and waits inside an operation never add up past it.
 */
public final class Deadline {

    private final long deadlineNanos;

    private Deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    public static Deadline after(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    public Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public boolean expired() {
        return deadlineNanos - System.nanoTime() <= 0;
    }

    /** The smaller of {@code limit} and what is left, for one network call. At least 1 ms. */
    public Duration capped(Duration limit) {
        Duration left = remaining();
        Duration result = left.compareTo(limit) < 0 ? left : limit;
        return result.isZero() ? Duration.ofMillis(1) : result;
    }

    /** A deadline that ends {@code duration} from now or at this one, whichever comes first. */
    public Deadline shorter(Duration duration) {
        long candidate = System.nanoTime() + duration.toNanos();
        return candidate - deadlineNanos < 0 ? new Deadline(candidate) : this;
    }

    /** Sleeps for {@code pause}, or less if the deadline comes first. */
    public void sleep(Duration pause) throws InterruptedException {
        Thread.sleep(capped(pause).toMillis());
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + " ms left]";
    }
}
