package io.handover.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.BackendException;
import io.handover.api.Cluster;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.Targets;
import io.handover.api.Verification;
import io.handover.config.ClusterConfig;
import io.handover.config.RedirectEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The backends of a cluster move at the same time, and the primary, {@code secondary-failure} and
 * the failover lock still decide the outcome. Overlap is proven with latches: a step that waits for
 * the other backend's step to start could never finish if the backends ran one after the other.
 */
class RedirectorTest {

    private static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    private static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    /** Far longer than any step here takes; reached only when a test fails. */
    private static final long STUCK_SECONDS = 10;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final StringWriter out = new StringWriter();

    @Test
    void withTheLockHeldEveryBackendIsWrittenAndVerified() {
        Redirector redirector = redirector(false, () -> true, Map.of(), "primary", "secondary");

        assertThat(redirector.release(DB1, Reachability.REACHABLE, inFiveSeconds())).isEqualTo(Redirector.Outcome.OK);
        assertThat(redirector.activate(DB2, inFiveSeconds())).isEqualTo(Redirector.Outcome.OK);

        assertThat(calls).containsExactlyInAnyOrder("primary release db1", "secondary release db1", "primary activate db2",
                "primary verify db2", "secondary activate db2", "secondary verify db2");
        assertThat(calls).containsSubsequence("primary activate db2", "primary verify db2");
        assertThat(calls).containsSubsequence("secondary activate db2", "secondary verify db2");
        assertThat(out.toString()).contains("handover [main] primary: verify db2 ok in", "handover [main] secondary: verify db2 ok in");
    }

    @Test
    void backendsAreReleasedAtTheSameTime() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        Behaviour waitForTheOther = call -> {
            bothStarted.countDown();
            awaitOrFail(bothStarted, "the other backend's release never started while this one ran");
        };
        Redirector redirector = redirector(false, () -> true, Map.of("primary", waitForTheOther, "secondary", waitForTheOther),
                "primary", "secondary");

        assertThat(redirector.release(DB1, Reachability.REACHABLE, inFiveSeconds())).isEqualTo(Redirector.Outcome.OK);
    }

    @Test
    void backendsAreActivatedAndVerifiedAtTheSameTime() {
        CountDownLatch bothActivating = new CountDownLatch(2);
        CountDownLatch bothVerifying = new CountDownLatch(2);
        Behaviour waitForTheOther = call -> {
            CountDownLatch latch = call.contains("activate") ? bothActivating : bothVerifying;
            latch.countDown();
            awaitOrFail(latch, "the other backend's step never started while this one ran: " + call);
        };
        Redirector redirector = redirector(false, () -> true, Map.of("primary", waitForTheOther, "secondary", waitForTheOther),
                "primary", "secondary");

        assertThat(redirector.activate(DB2, inFiveSeconds())).isEqualTo(Redirector.Outcome.OK);
    }

    /** The secondary moved before the primary failed: the operation fails, and the secondary is not undone. */
    @Test
    void aFailedPrimaryFailsTheOperationEvenAfterTheSecondaryMovedAndSecondaryFailuresMayProceed() {
        CountDownLatch secondaryVerified = new CountDownLatch(1);
        Behaviour failAfterTheSecondary = call -> {
            awaitOrFail(secondaryVerified, "the secondary never moved");
            throw BackendException.permanent("the primary's peer refused: " + call);
        };
        Behaviour secondary = call -> {
            if (call.contains("verify")) {
                secondaryVerified.countDown();
            }
        };
        Redirector redirector = redirector(true, () -> true, Map.of("primary", failAfterTheSecondary, "secondary", secondary),
                "primary", "secondary");

        assertThat(redirector.activate(DB2, inFiveSeconds())).isEqualTo(Redirector.Outcome.FAILED);

        assertThat(calls).containsExactly("secondary activate db2", "secondary verify db2");
        assertThat(out.toString()).contains("primary: activate db2 failed in", "(the primary's peer refused: primary activate db2)",
                "secondary: verify db2 ok").doesNotContain("proceeded");
    }

    /** A slow secondary is waited for: when the outcome is known, no step is still running against the caller. */
    @Test
    void theOutcomeWaitsForEverySecondaryEvenWhenThePrimaryFailedFirst() {
        CountDownLatch primaryFailed = new CountDownLatch(1);
        Behaviour failAtOnce = call -> {
            primaryFailed.countDown();
            throw BackendException.permanent("refused");
        };
        Behaviour slowAfterThePrimary = call -> {
            awaitOrFail(primaryFailed, "the primary never failed");
            Thread.sleep(200);
        };
        Redirector redirector = redirector(false, () -> true, Map.of("primary", failAtOnce, "secondary", slowAfterThePrimary),
                "primary", "secondary");

        assertThat(redirector.release(DB1, Reachability.REACHABLE, inFiveSeconds())).isEqualTo(Redirector.Outcome.FAILED);

        assertThat(calls).containsExactly("secondary release db1");
    }

    @Test
    void aFailedSecondaryFailsTheOperationUnlessSecondaryFailuresMayProceed() {
        Behaviour refuse = call -> {
            throw BackendException.permanent("refused " + call);
        };

        Redirector strict = redirector(false, () -> true, Map.of("secondary", refuse), "primary", "secondary");
        assertThat(strict.activate(DB2, inFiveSeconds())).isEqualTo(Redirector.Outcome.FAILED);
        assertThat(out.toString()).contains("secondary: activate db2 failed").doesNotContain("proceeded");

        Redirector lenient = redirector(true, () -> true, Map.of("secondary", refuse), "primary", "secondary");
        assertThat(lenient.activate(DB2, inFiveSeconds())).isEqualTo(Redirector.Outcome.PROCEED);
        assertThat(out.toString()).contains("handover [main] secondary: secondary backend failed proceeded in 0 ms (secondary-failure = proceed)");
        assertThat(calls).containsExactlyInAnyOrder("primary activate db2", "primary verify db2", "primary activate db2", "primary verify db2");
    }

    @Test
    void aLostLockRefusesEveryWriteAndReportsWhy() {
        Redirector redirector = redirector(false, () -> false, Map.of(), "primary");

        assertThat(redirector.release(DB1, Reachability.UNREACHABLE, inFiveSeconds())).isEqualTo(Redirector.Outcome.FAILED);
        assertThat(redirector.activate(DB2, inFiveSeconds())).isEqualTo(Redirector.Outcome.FAILED);

        assertThat(calls).isEmpty();
        assertThat(out.toString()).contains("primary: activate db2 failed in", "(refused to activate db2 (198.51.100.12:3306): the failover"
                + " lock of cluster main is lost or may be lost (it could not be renewed in time), and another handover may be changing"
                + " the master; nothing was written)");
    }

    /** The lock is checked before each backend's write, and its loss is never a secondary failure MHA may proceed past. */
    @Test
    void aLockLostBeforeOneBackendsWriteFailsTheOperationEvenWhenSecondaryFailuresMayProceed() {
        AtomicInteger checks = new AtomicInteger();
        Redirector redirector = redirector(true, () -> checks.incrementAndGet() == 1, Map.of(), "primary", "secondary");

        assertThat(redirector.activate(DB1, inFiveSeconds())).isEqualTo(Redirector.Outcome.FAILED);

        assertThat(calls).hasSize(2).allSatisfy(call -> assertThat(call).endsWith("db1"));
        assertThat(out.toString()).contains("activate db1 failed").contains("the failover lock of cluster main is lost")
                .doesNotContain("proceeded");
    }

    /** A backend that ignores its deadline is abandoned and interrupted; its thread is a daemon and does not outlive it. */
    @Test
    void aStepStillRunningAfterTheDeadlineIsAbandonedAndInterrupted() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        List<Boolean> daemon = Collections.synchronizedList(new ArrayList<>());
        Behaviour hang = call -> {
            daemon.add(Thread.currentThread().isDaemon());
            try {
                never.await();
            } finally {
                ended.countDown();
            }
        };
        Redirector redirector = redirector(true, () -> true, Map.of("secondary", hang), "primary", "secondary");

        assertThat(redirector.release(DB1, Reachability.REACHABLE, Deadline.after(Duration.ofMillis(100))))
                .isEqualTo(Redirector.Outcome.PROCEED);

        assertThat(ended.await(STUCK_SECONDS, TimeUnit.SECONDS)).as("the abandoned step was interrupted").isTrue();
        assertThat(daemon).containsExactly(true);
        assertThat(out.toString()).contains("secondary: release db1 failed in", "(still running 500 ms after the deadline; abandoned)");
    }

    private static Deadline inFiveSeconds() {
        return Deadline.after(Duration.ofSeconds(5));
    }

    private static void awaitOrFail(CountDownLatch latch, String why) throws InterruptedException {
        if (!latch.await(STUCK_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(why);
        }
    }

    private Redirector redirector(boolean proceedOnSecondaryFailure, BooleanSupplier lockHeld, Map<String, Behaviour> behaviours,
            String... labels) {
        List<RedirectEntry> entries = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            entries.add(new RedirectEntry("recording", new Recording(labels[i], behaviours.getOrDefault(labels[i], call -> {})), i == 0));
        }
        ClusterConfig cluster = new ClusterConfig(new Cluster("main", List.of(DB1, DB2)), null, Duration.ofSeconds(30), entries,
                Duration.ofSeconds(30), proceedOnSecondaryFailure, Duration.ofSeconds(2), Optional.empty(), null, Optional.empty(),
                Optional.empty());
        StepReporter reporter = new StepReporter("test", "main", null, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        return new Redirector(cluster, reporter, lockHeld);
    }

    /** What a fake backend does before it records a call: wait for a latch, fail. */
    @FunctionalInterface
    private interface Behaviour {
        void before(String call) throws Exception;
    }

    private final class Recording implements Redirect {
        private final String label;
        private final Behaviour behaviour;

        Recording(String label, Behaviour behaviour) {
            this.label = label;
            this.behaviour = behaviour;
        }

        @Override
        public String describe() {
            return label;
        }

        @Override
        public RedirectState current(Deadline deadline) {
            return new RedirectState(Targets.NONE, List.of());
        }

        @Override
        public String release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
            record("release " + oldMaster.name());
            return "";
        }

        @Override
        public String activate(Host newMaster, Deadline deadline) throws BackendException {
            record("activate " + newMaster.name());
            return "";
        }

        @Override
        public Verification verify(Host newMaster, Deadline deadline) throws BackendException {
            record("verify " + newMaster.name());
            return new Verification(List.of(new Verification.Check("catalog", true, "ok", Duration.ZERO)));
        }

        private void record(String call) throws BackendException {
            String labelled = label + " " + call;
            try {
                behaviour.before(labelled);
            } catch (BackendException e) {
                throw e;
            } catch (Exception e) {
                throw BackendException.permanent(labelled + ": " + e);
            }
            calls.add(labelled);
        }
    }
}
