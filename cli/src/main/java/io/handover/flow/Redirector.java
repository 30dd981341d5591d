package io.handover.flow;

import io.handover.api.Reachability;
import io.handover.config.RedirectEntry;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Verification;
import io.handover.config.ClusterConfig;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Moves a cluster's clients through all its redirect backends, in order. The primary backend
 * decides: if it fails, the whole operation fails. A secondary backend's failure fails it too,
 * unless the cluster allows proceeding, in which case the outcome says so. Right before each
 * write it checks that the failover lock is still held, if it was given one: a caller whose lock
 * expired while its steps stalled must not move clients that the lock's next holder has moved.
 */
public final class Redirector {

    /** How a redirect operation ended. */
    public enum Outcome {
        OK,
        /** Only secondary backends failed, and the cluster allows proceeding. */
        PROCEED,
        FAILED
    }

    private final ClusterConfig cluster;
    private final StepReporter reporter;
    private final BooleanSupplier lockHeld;

    /** For a caller that holds no failover lock. */
    public Redirector(ClusterConfig cluster, StepReporter reporter) {
        this(cluster, reporter, () -> true);
    }

    /**
     * @param lockHeld whether the caller's failover lock is still held ({@code lease::held}): a write
     *     step is refused, and the operation FAILED whatever the backend, once it says false
     */
    public Redirector(ClusterConfig cluster, StepReporter reporter, BooleanSupplier lockHeld) {
        this.cluster = cluster;
        this.reporter = reporter;
        this.lockHeld = lockHeld;
    }

    /** Stops sending clients to the old master. */
    public Outcome release(Host oldMaster, Reachability reachability, Deadline deadline) {
        return forEachBackend(redirect -> reporter.run(redirect.describe(), "release " + oldMaster.name(), () -> {
            requireLock("release " + oldMaster);
            // what the release left undone (a dead host still holding a VIP) goes to MHA's log and the journal
            return redirect.redirect().release(oldMaster, reachability, deadline);
        }));
    }

    /** Sends clients to the new master, then checks that they reach it and nothing else. */
    public Outcome activate(Host newMaster, Deadline deadline) {
        return forEachBackend(redirect -> {
            String backend = redirect.describe();
            reporter.run(backend, "activate " + newMaster.name(), () -> {
                requireLock("activate " + newMaster);
                String replaced = redirect.redirect().activate(newMaster, deadline);
                // the replaced master in MHA's log and the journal, not only in --verbose's debug log
                return newMaster.endpoint() + (replaced.isEmpty() ? "" : "; " + replaced);
            });
            reporter.run(backend, "verify " + newMaster.name(), () -> {
                Verification verification = redirect.redirect().verify(newMaster, deadline);
                String detail = verification.checks().stream()
                        .map(check -> check.source() + " " + (check.passed() ? "agrees" : "DISAGREES: " + check.detail())
                                + " after " + check.elapsed().toMillis() + " ms")
                        .collect(Collectors.joining("; "));
                if (!verification.passed()) {
                    throw BackendException.permanent("clients do not reach exactly " + newMaster + ": " + detail);
                }
                return detail;
            });
        });
    }

    private void requireLock(String step) throws LockLostException {
        if (!lockHeld.getAsBoolean()) {
            throw new LockLostException("refused to " + step + ": the failover lock of cluster " + cluster.name()
                    + " is lost or may be lost (it could not be renewed in time), and another handover may be changing the master;"
                    + " nothing was written");
        }
    }

    /** A write step refused because the lock is gone: never a secondary failure to proceed past. */
    private static final class LockLostException extends Exception {
        LockLostException(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    private interface BackendStep {
        void run(RedirectEntry redirect) throws Exception;
    }

    private Outcome forEachBackend(BackendStep step) {
        Outcome outcome = Outcome.OK;
        for (RedirectEntry redirect : cluster.redirects()) {
            try {
                step.run(redirect);
            } catch (Exception e) {
                if (e instanceof LockLostException || redirect.primary() || !cluster.proceedOnSecondaryFailure()) {
                    return Outcome.FAILED;
                }
                reporter.report(redirect.describe(), "secondary backend failed", "proceeded", 0,
                        "secondary-failure = proceed");
                outcome = Outcome.PROCEED;
            }
        }
        return outcome;
    }
}
