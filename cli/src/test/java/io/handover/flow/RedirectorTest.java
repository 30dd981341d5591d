package io.handover.flow;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lock guard: a write step runs only while the caller's failover lock is held. */
class RedirectorTest {

    private static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    private static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);

    private final List<String> calls = new ArrayList<>();
    private final StringWriter out = new StringWriter();

    @Test
    void withTheLockHeldEveryBackendIsWrittenAndVerified() {
        Redirector redirector = redirector(false, () -> true, "primary", "secondary");

        assertThat(redirector.release(DB1, Reachability.REACHABLE, Deadline.after(Duration.ofSeconds(5)))).isEqualTo(Redirector.Outcome.OK);
        assertThat(redirector.activate(DB2, Deadline.after(Duration.ofSeconds(5)))).isEqualTo(Redirector.Outcome.OK);

        assertThat(calls).containsExactly("primary release db1", "secondary release db1", "primary activate db2", "primary verify db2",
                "secondary activate db2", "secondary verify db2");
    }

    @Test
    void aLostLockRefusesEveryWriteAndReportsWhy() {
        Redirector redirector = redirector(false, () -> false, "primary");

        assertThat(redirector.release(DB1, Reachability.UNREACHABLE, Deadline.after(Duration.ofSeconds(5)))).isEqualTo(Redirector.Outcome.FAILED);
        assertThat(redirector.activate(DB2, Deadline.after(Duration.ofSeconds(5)))).isEqualTo(Redirector.Outcome.FAILED);

        assertThat(calls).isEmpty();
        assertThat(out.toString()).contains("primary: activate db2 failed in", "(refused to activate db2 (198.51.100.12:3306): the failover"
                + " lock of cluster main is lost or may be lost (it could not be renewed in time), and another handover may be changing"
                + " the master; nothing was written)");
    }

    /** The lock is checked before each backend's write, and its loss is never a secondary failure MHA may proceed past. */
    @Test
    void aLockLostBetweenTwoBackendsStopsBeforeTheSecondEvenWhenSecondaryFailuresMayProceed() {
        AtomicInteger checks = new AtomicInteger();
        Redirector redirector = redirector(true, () -> checks.incrementAndGet() == 1, "primary", "secondary");

        assertThat(redirector.activate(DB1, Deadline.after(Duration.ofSeconds(5)))).isEqualTo(Redirector.Outcome.FAILED);

        assertThat(calls).containsExactly("primary activate db1", "primary verify db1");
        assertThat(out.toString()).contains("secondary: activate db1 failed").doesNotContain("proceeded");
    }

    private Redirector redirector(boolean proceedOnSecondaryFailure, java.util.function.BooleanSupplier lockHeld, String... labels) {
        List<RedirectEntry> entries = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            entries.add(new RedirectEntry("recording", new Recording(labels[i]), i == 0));
        }
        ClusterConfig cluster = new ClusterConfig(new Cluster("main", List.of(DB1, DB2)), null, Duration.ofSeconds(30), entries,
                Duration.ofSeconds(30), proceedOnSecondaryFailure, Duration.ofSeconds(2), Optional.empty(), null, Optional.empty(),
                Optional.empty());
        StepReporter reporter = new StepReporter("test", "main", null, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        return new Redirector(cluster, reporter, lockHeld);
    }

    private final class Recording implements Redirect {
        private final String label;

        Recording(String label) {
            this.label = label;
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
        public String release(Host oldMaster, Reachability reachability, Deadline deadline) {
            calls.add(label + " release " + oldMaster.name());
            return "";
        }

        @Override
        public String activate(Host newMaster, Deadline deadline) {
            calls.add(label + " activate " + newMaster.name());
            return "";
        }

        @Override
        public Verification verify(Host newMaster, Deadline deadline) {
            calls.add(label + " verify " + newMaster.name());
            return new Verification(List.of(new Verification.Check("catalog", true, "ok", Duration.ZERO)));
        }
    }
}
