package io.handover.toolkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.Verification;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Redirect} promises, run by each backend module against its real peer (a Consul
 * cluster, hosts over SSH, an EC2 API). A subclass says how to reach the peer; the tests here say
 * what must hold, the same for all. Each test starts from whatever state the previous one left:
 * a redirect must cope with any starting point, as a hook re-run by hand does.
 */
public abstract class RedirectContract {

    /** The redirect under test, bound to a cluster whose hosts {@link #first()} and {@link #second()} are. */
    protected abstract Redirect redirect();

    /** A redirect of the same kind whose peer does not answer (a closed port, a black hole). */
    protected abstract Redirect unreachable();

    protected abstract Host first();

    protected abstract Host second();

    /** Enough time for one operation against the real peer. */
    protected Duration operationTime() {
        return Duration.ofSeconds(20);
    }

    /** How long an operation may overrun its deadline: one last in-flight call's cleanup. */
    protected Duration overrunAllowed() {
        return Duration.ofMillis(1500);
    }

    private Deadline deadline() {
        return Deadline.after(operationTime());
    }

    private void activateAndVerify(Host host) throws BackendException {
        redirect().activate(host, deadline());
        Verification verification = redirect().verify(host, deadline());
        assertThat(verification.passed()).as("verification of %s: %s", host, verification.checks()).isTrue();
    }

    @Test
    void activateSendsClientsToTheNewMasterAlone() throws Exception {
        activateAndVerify(first());

        RedirectState state = redirect().current(deadline());
        assertThat(state.disagreement(first(), "the master")).as("current() after activating %s", first()).isEmpty();
    }

    @Test
    void activateTwiceIsTheSameAsOnce() throws Exception {
        activateAndVerify(second());
        activateAndVerify(second());

        assertThat(redirect().current(deadline()).targets().hosts()).containsExactly(second());
    }

    @Test
    void activateMovesClientsWithoutAPriorRelease() throws Exception {
        activateAndVerify(first());

        activateAndVerify(second());

        assertThat(redirect().current(deadline()).disagreement(second(), "the master")).isEmpty();
    }

    @Test
    void releaseStopsSendingClientsToTheOldMasterAndCanBeRepeated() throws Exception {
        activateAndVerify(first());

        redirect().release(first(), Reachability.REACHABLE, deadline());
        redirect().release(first(), Reachability.REACHABLE, deadline());

        assertThat(redirect().current(deadline()).targets().hosts()).doesNotContain(first());
    }

    @Test
    void releasingAHostThatHasNoClientsChangesNothing() throws Exception {
        activateAndVerify(first());

        redirect().release(second(), Reachability.REACHABLE, deadline());

        // The source of truth, not every vantage point: those converge in verify's time, not at once.
        assertThat(redirect().current(deadline()).targets().onlyAt(first())).isTrue();
        assertThat(redirect().verify(first(), deadline()).passed()).isTrue();
    }

    @Test
    void currentHasNoSideEffects() throws Exception {
        activateAndVerify(second());
        redirect().release(second(), Reachability.REACHABLE, deadline());

        RedirectState before = redirect().current(deadline());
        RedirectState again = redirect().current(deadline());

        assertThat(again.targets()).isEqualTo(before.targets());
        assertThat(before.targets().hosts()).doesNotContain(second());
        assertThat(redirect().verify(second(), Deadline.after(Duration.ofMillis(300))).passed()).isFalse();
    }

    @Test
    void anUnreachablePeerFailsEveryWriteByItsDeadlineWithATypedError() {
        Duration budget = Duration.ofSeconds(2);
        for (String operation : new String[] {"activate", "release", "current"}) {
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> {
                Deadline deadline = Deadline.after(budget);
                switch (operation) {
                    case "activate" -> unreachable().activate(first(), deadline);
                    case "release" -> unreachable().release(first(), Reachability.REACHABLE, deadline);
                    default -> unreachable().current(deadline);
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure).as(operation + " against an unreachable peer").isInstanceOf(BackendException.class);
            assertThat(((BackendException) failure).kind()).as(operation + ": " + failure.getMessage())
                    .isIn(BackendException.Kind.RETRYABLE, BackendException.Kind.AMBIGUOUS);
            assertThat(took).as(operation + " took").isLessThan(budget.plus(overrunAllowed()));
        }
    }

    @Test
    void anUnreachablePeerFailsVerificationByItsDeadline() {
        Duration budget = Duration.ofSeconds(2);
        long start = System.nanoTime();
        assertThatCode(() -> {
            try {
                assertThat(unreachable().verify(first(), Deadline.after(budget)).passed()).isFalse();
            } catch (BackendException expected) {
                // either answer is honest: not verified
            }
        }).doesNotThrowAnyException();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(budget.plus(overrunAllowed()));
    }
}
