package io.handover.api;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of {@link Redirect#verify}: one check per vantage point.
 *
 * @param checks each vantage point's outcome
 */
public record Verification(List<Check> checks) {

    public Verification {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    /**
     * @param source what was checked ({@code catalog}, {@code dns 127.0.0.1:8600})
     * @param passed whether it answered exactly the new master
     * @param detail what it answered last
     * @param elapsed how long it took to agree, or to give up
     */
    public record Check(String source, boolean passed, String detail, Duration elapsed) {}
}
