package io.handover.toolkit;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Verification;
import io.handover.api.Verification.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks named vantage points until each agrees or the deadline passes, and reports how long each
 * took: Consul's followers answer DNS 50-100 ms after the leader, EC2's route tables are eventually
 * consistent, an ARP cache moves after the gratuitous ARP. A point that agreed is not asked again.
 */
public final class CheckPoller {

    /** One vantage point: asks it once. Failures are answers that disagree, not exceptions. */
    @FunctionalInterface
    public interface Probe {
        Outcome check(Deadline deadline);
    }

    /** What one vantage point answered: whether it agrees, and what it said. */
    public record Outcome(boolean passed, String detail) {

        public static Outcome of(boolean passed, String detail) {
            return new Outcome(passed, detail);
        }
    }

    private CheckPoller() {}

    /**
     * Polls every probe, in order, every {@code interval}, until all agree or the deadline passes.
     *
     * @param what for the error when interrupted ({@code verifying db2 in consul service main-master})
     */
    public static Verification poll(String what, Map<String, Probe> probes, Duration interval, Deadline deadline) throws BackendException {
        Map<String, Check> passed = new LinkedHashMap<>();
        Map<String, String> lastDetail = new LinkedHashMap<>();
        long start = System.nanoTime();
        while (true) {
            for (Map.Entry<String, Probe> probe : probes.entrySet()) {
                if (!passed.containsKey(probe.getKey())) {
                    Outcome outcome = probe.getValue().check(deadline);
                    lastDetail.put(probe.getKey(), outcome.detail());
                    if (outcome.passed()) {
                        passed.put(probe.getKey(), new Check(probe.getKey(), true, outcome.detail(), since(start)));
                    }
                }
            }
            if (passed.size() == probes.size() || deadline.expired()) {
                break;
            }
            try {
                deadline.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BackendException.retryable(what + " was interrupted", e);
            }
        }
        List<Check> checks = new ArrayList<>();
        for (String source : probes.keySet()) {
            checks.add(passed.getOrDefault(source, new Check(source, false, lastDetail.get(source), since(start))));
        }
        return new Verification(checks);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
