package io.handover.flow;

import io.handover.api.Reachability;
import io.handover.config.RedirectEntry;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Verification;
import io.handover.config.ClusterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Moves a cluster's clients through all its redirect backends at once, each in its own thread, so
 * that a dual run (a VIP and Consul) costs about the slower backend rather than the sum. The
 * primary backend decides: if it fails, the whole operation fails. A secondary backend's failure
 * fails it too, unless the cluster allows proceeding, in which case the outcome says so. Right
 * before each write it checks that the failover lock is still held, if it was given one: a caller
 * whose lock expired while its steps stalled must not move clients that the lock's next holder has
 * moved, and a lost lock fails the operation whichever backend saw it.
 *
 * <p>The outcome is decided only once every backend's step has ended (or the deadline has passed),
 * so that no step is still running when the caller acts on it: undoing a failed change must not race
 * with a release still in flight.
 *
 * <p>When the primary fails while a secondary has already moved, the secondary is left where it
 * moved. Its activate points at a master that is already promoted (every caller activates after
 * the promotion), so undoing it would send those clients to a host that is no longer the master; its
 * release took clients off a master that is dead or being fenced. The caller that gives the change
 * up puts every backend back on the old master itself ({@code mha-online-change stop} does, before
 * it lifts the fence); the operation's outcome is FAILED either way, as it was when backends moved
 * one after the other.
 */
public final class Redirector {

    /** How a redirect operation ended. */
    public enum Outcome {
        OK,
        /** Only secondary backends failed, and the cluster allows proceeding. */
        PROCEED,
        FAILED
    }

    /**
     * How long past the deadline a backend's step is awaited before it is abandoned: backends honour
     * the deadline themselves, this covers reporting the step's end.
     */
    static final Duration OVERRUN_GRACE = Duration.ofMillis(500);

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
        String step = "release " + oldMaster.name();
        return forEachBackend(step, deadline, redirect -> reporter.run(redirect.describe(), step, () -> {
            requireLock("release " + oldMaster);
            // what the release left undone (a dead host still holding a VIP) goes to MHA's log and the journal
            return redirect.redirect().release(oldMaster, reachability, deadline);
        }));
    }

    /** Sends clients to the new master, then checks that they reach it and nothing else. */
    public Outcome activate(Host newMaster, Deadline deadline) {
        return forEachBackend("activate " + newMaster.name(), deadline, redirect -> {
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

    /** How one backend's step ended. */
    private enum Ended { OK, FAILED, LOCK_LOST }

    private Outcome forEachBackend(String step, Deadline deadline, BackendStep work) {
        List<RedirectEntry> redirects = cluster.redirects();
        // One daemon thread per backend, for this operation only: bounded, and never keeps the JVM alive.
        AtomicInteger number = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(redirects.size(), runnable -> {
            Thread thread = new Thread(runnable, "redirect-" + cluster.name() + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> moves = new ArrayList<>();
            for (RedirectEntry redirect : redirects) {
                moves.add(executor.submit(() -> {
                    work.run(redirect);
                    return null;
                }));
            }
            List<Ended> ends = new ArrayList<>();
            for (int i = 0; i < redirects.size(); i++) {
                ends.add(await(moves.get(i), redirects.get(i), step, deadline));
            }
            return decide(redirects, ends);
        } finally {
            // Interrupts only steps abandoned at the deadline; the others have ended.
            executor.shutdownNow();
        }
    }

    private Ended await(Future<?> move, RedirectEntry redirect, String step, Deadline deadline) {
        long start = System.nanoTime();
        try {
            move.get(deadline.remaining().plus(OVERRUN_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            return Ended.OK;
        } catch (ExecutionException e) {
            // Already reported by the step itself.
            return e.getCause() instanceof LockLostException ? Ended.LOCK_LOST : Ended.FAILED;
        } catch (TimeoutException e) {
            move.cancel(true);
            reporter.report(redirect.describe(), step, "failed", (System.nanoTime() - start) / 1_000_000,
                    "still running " + OVERRUN_GRACE.toMillis() + " ms after the deadline; abandoned");
            return Ended.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            move.cancel(true);
            reporter.report(redirect.describe(), step, "failed", (System.nanoTime() - start) / 1_000_000,
                    "interrupted while waiting for it");
            return Ended.FAILED;
        }
    }

    private Outcome decide(List<RedirectEntry> redirects, List<Ended> ends) {
        boolean proceeded = false;
        for (int i = 0; i < redirects.size(); i++) {
            RedirectEntry redirect = redirects.get(i);
            Ended end = ends.get(i);
            if (end == Ended.LOCK_LOST || end == Ended.FAILED && (redirect.primary() || !cluster.proceedOnSecondaryFailure())) {
                return Outcome.FAILED;
            }
            proceeded |= end == Ended.FAILED;
        }
        if (!proceeded) {
            return Outcome.OK;
        }
        for (int i = 0; i < redirects.size(); i++) {
            if (ends.get(i) == Ended.FAILED) {
                reporter.report(redirects.get(i).describe(), "secondary backend failed", "proceeded", 0, "secondary-failure = proceed");
            }
        }
        return Outcome.PROCEED;
    }
}
