package io.handover.cli;

import io.handover.flow.RefusedException;
import io.handover.lock.LockUnavailableException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.flow.StepReporter;
import io.handover.journal.Journal;
import io.handover.lock.ClusterLocks;
import io.handover.mysql.TopologyInspector;
import io.handover.switchover.Check;
import io.handover.switchover.FactGatherer;
import io.handover.switchover.FinishPlan;
import io.handover.switchover.Plan;
import io.handover.switchover.PlanPrinter;
import io.handover.switchover.Planner;
import io.handover.switchover.Switchover;
import io.handover.switchover.SwitchoverFailure;
import io.handover.switchover.Timeline;
import java.io.Console;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "switchover", mixinStandardHelpOptions = true, description = {
    "Change the master on purpose, without MHA.",
    "Fences the master, lets the candidate catch up, promotes it, sends clients to it through every"
        + " redirect backend, repoints the other hosts to it by GTID.",
    "Checks everything first; refuses (exit 4, nothing changed) unless there is exactly one writable"
        + " master; the candidate replicates from it by GTID, running, lag <= switchover.max-candidate-lag;"
        + " every other host is a healthy GTID replica of it (or --exclude'd); no transaction on the master"
        + " is older than switchover.max-transaction-age; every redirect backend answers; the cluster's"
        + " failover lock (which MHA's hooks take too) is free.",
    "A failure before the promotion is rolled back. After it nothing is undone: handover prints every"
        + " host's and backend's state and the command that finishes the job (--finish)."})
final class SwitchoverCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
    private String clusterName;

    @Option(names = "--to", paramLabel = "HOST", description = "The new master (default: the eligible replica with the least lag).")
    private String to;

    @Option(names = "--exclude", paramLabel = "HOST", split = ",",
            description = "Leave this host alone: not checked, not repointed (repeatable or comma-separated).")
    private List<String> excluded = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the checks and the plan, step by step; change nothing.")
    private boolean dryRun;

    @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal; --finish never asks).")
    private boolean yes;

    @Option(names = "--finish", description = {"Finish a switchover that stopped after promoting",
        "--to HOST: send clients to it, repoint every host not replicating from it."})
    private boolean finish;

    @Override
    public Integer call() throws Exception {
        HandoverConfig config = handover.config(ConfigUse.cluster(clusterName));
        ClusterConfig cluster = Clusters.select(config, clusterName).get(0);
        Set<String> excludedHosts = validateHosts(cluster);
        if (finish && to == null) {
            throw new HandoverException(ExitCode.USAGE, "--finish needs --to HOST: the master that was promoted");
        }
        if (finish && dryRun) {
            throw new HandoverException(ExitCode.USAGE, "--finish cannot be combined with --dry-run");
        }
        if (dryRun) {
            return dryRun(config, cluster, excludedHosts);
        }
        Plan confirmed = yes || finish ? null : confirm(cluster, excludedHosts);

        StepReporter reporter = new StepReporter("switchover", cluster.name(), new Journal(config.journalDirectory()),
                handover.out(), handover.err());
        Timeline timeline = new Timeline();
        Deadline deadline = Deadline.after(cluster.switchover().deadline());
        Switchover switchover = new Switchover(cluster, reporter, progress(cluster), timeline);
        long lockStart = System.nanoTime();
        ClusterLocks.NamedLock lock = ClusterLocks.of(config, cluster);
        ClusterLock.Lease lease;
        try {
            lease = timeline.measure("lock", () -> takeLock(lock, cluster, deadline, reporter));
        } catch (RefusedException e) {
            reporter.report(null, "lock", "refused", millisSince(lockStart), e.getMessage());
            throw e;
        }
        reporter.report(null, "lock", "ok", millisSince(lockStart), lock.description());
        switchover.guardedBy(lease::held);
        try (lease) {
            if (finish) {
                finish(cluster, switchover, excludedHosts, reporter, timeline, deadline);
            } else {
                switchover(cluster, switchover, excludedHosts, confirmed, reporter, timeline, deadline);
            }
        } catch (SwitchoverFailure failure) {
            throw failed(config, cluster, failure, timeline);
        }
        // A failed secondary backend under secondary-failure = proceed is warned about in the summary, as the cluster allows.
        return ExitCode.OK;
    }

    private void switchover(ClusterConfig cluster, Switchover switchover, Set<String> excludedHosts, Plan confirmed,
            StepReporter reporter, Timeline timeline, Deadline deadline) throws Exception {
        long start = System.nanoTime();
        Plan plan = timeline.measure("preconditions",
                () -> Planner.plan(cluster, to, excludedHosts, FactGatherer.gather(cluster, deadline)));
        if (plan.refused()) {
            reporter.report(null, "preconditions", "refused", millisSince(start), plan.refusal());
            throw new HandoverException(ExitCode.REFUSED, plan.refusal());
        }
        if (confirmed != null && !confirmed.sameRoles(plan)) {
            String refusal = "refused: the topology changed since the plan was confirmed; nothing was changed, run again";
            reporter.report(null, "preconditions", "refused", millisSince(start), refusal);
            throw new HandoverException(ExitCode.REFUSED, refusal);
        }
        reporter.report(null, "preconditions", "ok", millisSince(start), plan.master().host().name() + " -> "
                + plan.candidate().host().name() + (plan.replicas().isEmpty() ? "" : ", then repoint "
                + String.join(", ", plan.replicas().stream().map(replica -> replica.host().name()).toList())));
        switchover.run(plan, deadline);
        long blocked = timeline.writesBlockedMs();
        timeline.print("switchover of cluster " + cluster.name() + " done in " + timeline.totalMs() + " ms: "
                + plan.candidate().host().name() + " is the master; clients could not write for " + blocked
                + " ms (from the fence to the verified redirect)" + secondaryWarning(switchover), handover.out());
    }

    /** After a switchover that stopped past the promotion: redirect to the promoted master and repoint the rest. */
    private void finish(ClusterConfig cluster, Switchover switchover, Set<String> excludedHosts, StepReporter reporter,
            Timeline timeline, Deadline deadline) throws Exception {
        long start = System.nanoTime();
        FinishPlan plan;
        try {
            plan = timeline.measure("preconditions", () -> FinishPlan.of(cluster, TopologyInspector.inspect(cluster, deadline), to, excludedHosts));
        } catch (HandoverException e) {
            reporter.report(null, "preconditions", "refused", millisSince(start), e.getMessage());
            throw e;
        }
        Host newMaster = plan.newMaster();
        reporter.report(null, "preconditions", "ok", millisSince(start), newMaster.name() + " is the only writable host"
                + (plan.repoints().isEmpty() ? "" : "; repoint "
                + String.join(", ", plan.repoints().stream().map(repoint -> repoint.host().host().name()).toList())));
        switchover.completeAfterPromotion(newMaster, plan.repoints(), deadline);
        if (!plan.unreachable().isEmpty()) {
            throw new HandoverException(ExitCode.FAILED, "clients are sent to " + newMaster.name() + ", but "
                    + String.join(", ", plan.unreachable()) + " could not be reached to repoint; run this again when "
                    + (plan.unreachable().size() == 1 ? "it is" : "they are") + " up, or give --exclude");
        }
        timeline.print("switchover of cluster " + cluster.name() + " finished in " + timeline.totalMs() + " ms: "
                + newMaster.name() + " is the master" + secondaryWarning(switchover), handover.out());
    }

    /** No waiting: an operator decides. An unreachable lock refuses too, since nothing was changed yet. */
    private ClusterLock.Lease takeLock(ClusterLocks.NamedLock lock, ClusterConfig cluster, Deadline deadline, StepReporter reporter) {
        try {
            return ClusterLocks.acquire(lock, cluster.name(), commandLine(), deadline, java.time.Duration.ZERO, reporter);
        } catch (LockUnavailableException e) {
            throw new RefusedException("refused: " + e.getMessage());
        }
    }

    private int dryRun(HandoverConfig config, ClusterConfig cluster, Set<String> excludedHosts) {
        Deadline deadline = Deadline.after(cluster.switchover().deadline());
        Plan plan = Planner.plan(cluster, to, excludedHosts, FactGatherer.gather(cluster, deadline));
        // Taken and given back at once: whether a switchover now would get it.
        ClusterLocks.NamedLock lock = ClusterLocks.of(config, cluster);
        try (ClusterLock.Lease lease = takeLock(lock, cluster, deadline, null)) {
            plan = plan.withCheck(Check.pass("lock", "free (" + lock.description() + ")"));
        } catch (RefusedException e) {
            plan = plan.withCheck(Check.fail("lock", e.getMessage().replaceFirst("^refused: ", "")));
        }
        PlanPrinter.print(cluster, plan, handover.out());
        if (plan.refused()) {
            throw new HandoverException(ExitCode.REFUSED, plan.refusal());
        }
        handover.out().println("dry run: nothing was changed");
        return ExitCode.OK;
    }

    private Plan confirm(ClusterConfig cluster, Set<String> excludedHosts) {
        Deadline deadline = Deadline.after(cluster.switchover().deadline());
        Plan plan = Planner.plan(cluster, to, excludedHosts, FactGatherer.gather(cluster, deadline));
        PlanPrinter.print(cluster, plan, handover.out());
        if (plan.refused()) {
            throw new HandoverException(ExitCode.REFUSED, plan.refusal());
        }
        Console console = System.console();
        if (console == null) {
            throw new HandoverException(ExitCode.USAGE,
                    "no terminal to ask for confirmation on: give --yes to switch without asking (or --dry-run to only see the plan)");
        }
        String answer = console.readLine("Switch the master of cluster %s from %s to %s? Type yes to go on: ",
                cluster.name(), plan.master().host().name(), plan.candidate().host().name());
        if (answer == null || !answer.strip().equals("yes")) {
            throw new HandoverException(ExitCode.REFUSED, "not confirmed; nothing was changed");
        }
        return plan;
    }

    private Set<String> validateHosts(ClusterConfig cluster) {
        Set<String> names = new LinkedHashSet<>();
        cluster.cluster().hosts().forEach(host -> names.add(host.name()));
        List<String> asked = new ArrayList<>(excluded);
        if (to != null) {
            asked.add(to);
        }
        for (String name : asked) {
            if (!names.contains(name)) {
                throw new HandoverException(ExitCode.USAGE, "no host '" + name + "' in cluster " + cluster.name()
                        + "; hosts: " + String.join(", ", names));
            }
        }
        if (to != null && excluded.contains(to)) {
            throw new HandoverException(ExitCode.USAGE, to + " cannot be both --to and --exclude");
        }
        return new LinkedHashSet<>(excluded);
    }

    private HandoverException failed(HandoverConfig config, ClusterConfig cluster, SwitchoverFailure failure, Timeline timeline) {
        if (failure.stateUnclear()) {
            handover.out().println("state of cluster " + cluster.name() + " now:");
            StatusCommand.print(StatusCommand.report(cluster), handover.out());
        }
        timeline.print("switchover of cluster " + cluster.name() + " failed after " + timeline.totalMs() + " ms:", handover.out());
        String message = failure.getMessage();
        if (failure.promoted()) {
            message += "; to finish the switchover run: handover switchover --config " + config.file() + " --cluster "
                    + cluster.name() + " --to " + failure.newMaster() + " --finish";
        }
        return new HandoverException(ExitCode.FAILED, message, failure);
    }

    private Consumer<String> progress(ClusterConfig cluster) {
        return message -> {
            handover.err().println("handover [" + cluster.name() + "] " + message);
            handover.err().flush();
        };
    }

    private static String secondaryWarning(Switchover switchover) {
        return switchover.proceededPastSecondaryFailure()
                ? "; WARNING: a secondary redirect backend failed (secondary-failure = proceed), see above" : "";
    }

    /** How the lock names this run to others. */
    private String commandLine() {
        return "handover switchover --cluster " + clusterName + (to == null ? "" : " --to " + to)
                + (finish ? " --finish" : "") + (dryRun ? " --dry-run" : "");
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
