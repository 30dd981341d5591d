package io.handover.switchover;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import io.handover.config.ReplicationAccount;
import io.handover.flow.Redirector;
import io.handover.flow.StepReporter;
import io.handover.mysql.Fencer;
import io.handover.mysql.HostInspector;
import io.handover.mysql.HostStatus;
import io.handover.mysql.MysqlConnections;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a planned master change: fence the old master, let the candidate catch up, promote it,
 * redirect clients, repoint everyone else. Until the candidate may take writes, any failure is
 * rolled back; from then on nothing is undone, because the new master may already hold writes
 * that the old one has not.
 *
 * <p>Clients are moved by the backends' activate alone, after the promotion, with no release of
 * the old master first: activate sends clients to the new master and nowhere else by contract,
 * Consul does it in one transaction (a release first would leave the name unresolvable for a
 * while), a rollback then has no backend to undo, and the time clients cannot write is shorter.
 * The fenced old master meanwhile refuses their writes.
 */
public final class Switchover {

    /** How far a switchover got: what a rollback must undo. */
    private enum Stage { NOTHING, FENCING, CATCHING_UP, DETACHING }

    /** A host to point at the new master; {@code wasMaster} for the old master (its GTID position differs on MariaDB). */
    public record Repoint(HostStatus host, boolean wasMaster) {}

    private final ClusterConfig cluster;
    private final StepReporter reporter;
    private final Consumer<String> progress;
    private final Timeline timeline;
    private final Redirector redirector;
    private boolean proceededPastSecondaryFailure;
    private BooleanSupplier lockHeld = () -> true;
    /**
     * Time kept for redirecting clients once the candidate is promoted, the step that cannot be undone:
     * a Consul leader election alone takes ~3.5 s. Without it, a promoted master could be left with
     * clients still sent to the fenced old one.
     */
    static final Duration REDIRECT_RESERVE = Duration.ofSeconds(5);

    public Switchover(ClusterConfig cluster, StepReporter reporter, Consumer<String> progress, Timeline timeline) {
        this.cluster = cluster;
        this.reporter = reporter;
        this.progress = progress;
        this.timeline = timeline;
        this.redirector = new Redirector(cluster, reporter, () -> lockHeld.getAsBoolean());
    }

    /** Promotion, the first step that cannot be undone, happens only while this says the failover lock is held. */
    public void guardedBy(BooleanSupplier lockHeld) {
        this.lockHeld = lockHeld;
    }

    public void run(Plan plan, Deadline deadline) {
        Host old = plan.master().host();
        Host candidate = plan.candidate().host();
        MysqlNode oldNode = null;
        MysqlNode newNode = null;
        try {
            oldNode = MysqlNode.open(old, plan.master().version(), cluster.mysql(), deadline);
            newNode = MysqlNode.open(candidate, plan.candidate().version(), cluster.mysql(), deadline);
            promote(oldNode, newNode, deadline);
        } catch (SQLException e) {
            throw new SwitchoverFailure("cannot connect to " + (oldNode == null ? old : candidate) + ": " + MysqlConnections.reason(e)
                    + "; nothing was changed", e, false, false, candidate.name());
        } finally {
            close(oldNode);
            close(newNode);
        }
        List<Repoint> repoints = new ArrayList<>();
        plan.replicas().forEach(replica -> repoints.add(new Repoint(replica, false)));
        repoints.add(new Repoint(plan.master(), true));
        completeAfterPromotion(candidate, repoints, deadline);
    }

    /** Redirects and repoints for a master that is already promoted: the end of a switchover, or {@code --finish}. */
    public void completeAfterPromotion(Host newMaster, List<Repoint> repoints, Deadline deadline) {
        List<String> failures = new ArrayList<>();
        Redirector.Outcome outcome = measure("redirect to " + newMaster.name(), () -> redirector.activate(newMaster, deadline));
        if (outcome == Redirector.Outcome.FAILED) {
            failures.add("redirecting clients to " + newMaster.name() + " failed");
        } else {
            timeline.writesResumed();
        }
        // Replicas follow the new master even when the redirect failed: it takes writes either way.
        List<Host> repointed = new ArrayList<>();
        for (Repoint repoint : repoints) {
            Host host = repoint.host().host();
            try {
                step("repoint " + host.name(), () -> {
                    try (MysqlNode node = MysqlNode.open(host, repoint.host().version(), cluster.mysql())) {
                        node.replicateFrom(newMaster, cluster.replicationAccount(), repoint.wasMaster());
                    }
                    return "replicates from " + newMaster.name() + " by GTID" + (repoint.wasMaster() ? " (was the master)" : "");
                });
                repointed.add(host);
            } catch (Exception e) {
                failures.add("repointing " + host.name() + " failed: " + e.getMessage());
            }
        }
        if (!repointed.isEmpty()) {
            try {
                step("replication from " + newMaster.name(), () -> ReplicationWait.await(cluster, newMaster, repointed, deadline, progress));
            } catch (Exception e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new SwitchoverFailure("cluster " + cluster.name() + ": " + newMaster.name() + " is the master now, but "
                    + String.join("; ", failures) + "; nothing was rolled back", null, true, true, newMaster.name());
        }
    }

    private void promote(MysqlNode oldNode, MysqlNode newNode, Deadline deadline) {
        Host old = oldNode.host();
        Host candidate = newNode.host();
        Stage stage = Stage.NOTHING;
        String step = "";
        try {
            stage = Stage.FENCING;
            step = "fence " + old.name();
            timeline.writesBlocked();
            String[] position = new String[1];
            step(step, () -> {
                Fencer.Result result = oldNode.fence(cluster.fenceDrainTimeout(), deadline);
                position[0] = result.gtidPosition();
                return result.describe();
            });
            stage = Stage.CATCHING_UP;
            step = "catch-up " + candidate.name();
            Duration available = deadline.remaining().minus(REDIRECT_RESERVE);
            Duration catchUp = min(cluster.switchover().catchUpTimeout(), available.isNegative() ? Duration.ZERO : available);
            step(step, () -> {
                newNode.awaitApplied(position[0], catchUp, progress);
                String now = oldNode.executedGtids();
                if (!now.equals(position[0])) {
                    // read_only does not stop accounts with SUPER (MariaDB: READ ONLY ADMIN); their writes would be lost.
                    throw new IllegalStateException(old.name() + " took writes after it was fenced: its GTID position moved from "
                            + position[0] + " to " + now + " (accounts with SUPER or READ ONLY ADMIN ignore read_only)");
                }
                if (deadline.remaining().compareTo(REDIRECT_RESERVE) < 0) {
                    throw new IllegalStateException("only " + deadline.remaining().toMillis() + " ms of switchover.deadline are"
                            + " left, less than the " + REDIRECT_RESERVE.toSeconds() + " s kept for redirecting clients after"
                            + " the promotion");
                }
                if (!lockHeld.getAsBoolean()) {
                    throw new IllegalStateException("the failover lock of cluster " + cluster.name()
                            + " was lost (its Consul session expired or could not be renewed): another master change may start");
                }
                return "applied " + old.name() + "'s transactions up to " + position[0] + "; " + old.name() + " took none since";
            });
            stage = Stage.DETACHING;
            step = "promote " + candidate.name();
            step(step, () -> {
                newNode.detach();
                newNode.writable();
                return "replication stopped and forgotten, takes writes";
            });
        } catch (Exception e) {
            if (stage == Stage.DETACHING && !definitelyReadOnly(newNode)) {
                throw new SwitchoverFailure("cluster " + cluster.name() + ": promoting " + candidate.name() + " failed ("
                        + e.getMessage() + ") and it may take writes now; nothing was rolled back", e, true, true, candidate.name());
            }
            throw rollback(stage, step, e, old, oldNode, newNode);
        }
    }

    /** After a failed promotion: whether a fresh look shows the candidate still read-only, so that going back is safe. */
    private boolean definitelyReadOnly(MysqlNode candidate) {
        HostStatus status = new HostInspector(cluster.mysql()).inspect(candidate.host());
        return status.reachable() && status.readOnly();
    }

    private SwitchoverFailure rollback(Stage stage, String failedStep, Exception cause, Host old, MysqlNode oldNode, MysqlNode newNode) {
        List<String> failures = new ArrayList<>();
        ReplicationAccount account = cluster.replicationAccount();
        Host candidate = newNode.host();
        if (stage == Stage.DETACHING) {
            attempt("reattach " + candidate.name(), failures, () -> {
                try (MysqlNode node = newNode.reopen(cluster.mysql())) {
                    node.replicateFrom(old, account, false);
                }
                return "replicates from " + old.name() + " again";
            });
        }
        if (stage.compareTo(Stage.FENCING) >= 0) {
            attempt("unfence " + old.name(), failures, () -> {
                try (MysqlNode node = oldNode.reopen(cluster.mysql())) {
                    node.writable();
                }
                return old.name() + " takes writes again";
            });
        }
        String what = "switchover of cluster " + cluster.name() + " failed at " + failedStep + ": " + describe(cause);
        if (failures.isEmpty()) {
            timeline.writesResumed();
            return new SwitchoverFailure(what + "; rolled back: " + old.name() + " takes writes again (clients were never sent elsewhere)",
                    cause, false, false, candidate.name());
        }
        return new SwitchoverFailure(what + "; the ROLLBACK FAILED too: " + String.join("; ", failures), cause, false, true,
                candidate.name());
    }

    private void attempt(String name, List<String> failures, StepReporter.Step action) {
        try {
            step(name, action);
        } catch (Exception e) {
            failures.add(name + " failed: " + describe(e));
        }
    }

    private void step(String name, StepReporter.Step action) throws Exception {
        timeline.measure(name, () -> {
            reporter.run(null, name, action);
            return null;
        });
    }

    private Redirector.Outcome measure(String name, Supplier<Redirector.Outcome> redirect) {
        long start = System.nanoTime();
        Redirector.Outcome outcome;
        try {
            outcome = redirect.get();
        } catch (RuntimeException e) {
            // Redirector reports backend failures as an outcome; anything thrown is a bug, and still a failure.
            outcome = Redirector.Outcome.FAILED;
        }
        if (outcome == Redirector.Outcome.PROCEED) {
            proceededPastSecondaryFailure = true;
        }
        timeline.record(name, start, outcome == Redirector.Outcome.FAILED ? "failed" : outcome == Redirector.Outcome.OK ? "ok" : "proceeded");
        return outcome;
    }

    /** Whether a secondary backend failed and the cluster's secondary-failure = proceed let the switchover go on. */
    public boolean proceededPastSecondaryFailure() {
        return proceededPastSecondaryFailure;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void close(MysqlNode node) {
        if (node != null) {
            node.close();
        }
    }
}
