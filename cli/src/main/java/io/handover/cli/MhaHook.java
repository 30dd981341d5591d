package io.handover.cli;

import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.RedirectState;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.config.RedirectEntry;
import io.handover.api.Reachability;
import io.handover.flow.FailedException;
import io.handover.flow.RefusedException;
import io.handover.flow.Redirector;
import io.handover.flow.StepReporter;
import io.handover.journal.Journal;
import io.handover.journal.RunIds;
import io.handover.lock.ClusterLocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** What both MHA hooks share: finding the cluster, the deadline, status, start, and the exit code protocol. */
final class MhaHook {

    final Handover handover;
    final MhaArguments args;
    final ClusterConfig cluster;
    /** For the hook's work: the call's deadline less {@link #lockReserve}. */
    final Deadline deadline;
    /** The whole call's: MHA waits for the hook until it ends. */
    private final Deadline callDeadline;
    final StepReporter reporter;
    private final ClusterLocks.NamedLock lock;
    private final String commandName;
    /** Whether the lock {@link #locked} holds is still held; checked right before each write. */
    private java.util.function.BooleanSupplier lockHeld = () -> true;

    /** @param loginNeeded whether the call logs in to MySQL with the configured account (an online change's fence) */
    MhaHook(Handover handover, MhaArguments args, List<String> unmatched, String commandName, boolean loginNeeded)
            throws Exception {
        handover.sshOverrides(args.sshOverrides());
        // Finding the cluster reads no secret; then only its problems, and only the secrets it uses, count.
        HandoverConfig config = handover.config(new ConfigUse(Set.of(), false, false));
        this.handover = handover;
        this.args = args;
        this.cluster = args.resolveCluster(config);
        boolean mysqlLogin = loginNeeded || cluster.redirects().stream().anyMatch(entry -> entry.redirect().usesMysqlLogin());
        handover.config(new ConfigUse(Set.of(cluster.name()), mysqlLogin, true));
        this.callDeadline = Deadline.after(cluster.deadline());
        this.deadline = Deadline.after(cluster.deadline().minus(lockReserve(cluster.deadline())));
        this.lock = ClusterLocks.of(config, cluster);
        this.commandName = commandName;
        this.reporter = new StepReporter(commandName + " " + args.command, cluster.name(),
                new Journal(config.journalDirectory()), handover.out(), handover.err(), run(config, cluster, args));
        List<String> ignored = MhaArguments.ignoredNames(unmatched);
        if (!ignored.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(MhaHook.class).debug("ignored MHA arguments: {}", ignored);
        }
    }

    /** Ends the process if this call is still running well past its deadline: MHA would wait for it forever. */
    HookWatchdog watchdog() {
        return new HookWatchdog(cluster.deadline(), HookWatchdog.GRACE, commandName + " --command=" + args.command + " for cluster " + cluster.name(),
                handover.err(), handover.halt());
    }

    /** MHA's stop begins a failover's run in the journal, and the start for the same orig master continues it. */
    private static String run(HandoverConfig config, ClusterConfig cluster, MhaArguments args) {
        String origMaster;
        try {
            origMaster = args.origMaster(cluster).endpoint();
        } catch (RuntimeException e) {
            return RunIds.fresh(); // the call fails on its arguments anyway, and says why
        }
        return switch (args.command == null ? "" : args.command) {
            case "stop", "stopssh" -> RunIds.beginFailover(config.journalDirectory(), cluster.name(), origMaster);
            case "start" -> RunIds.continueFailover(config.journalDirectory(), cluster.name(), origMaster, java.time.Instant.now());
            default -> RunIds.fresh();
        };
    }

    /**
     * Runs one hook call holding the cluster's failover lock, the one {@code handover switchover}
     * takes: exit 4 (MHA aborts) if it is held. The lock lasts this call only: between MHA's stop
     * and start calls a switchover could take it, which its own preconditions then refuse (the
     * stopped master is read-only, so there is no writable master to switch from).
     */
    int locked(Callable<Integer> call) throws Exception {
        // The lease closes by the call's deadline: work that used all of its own still leaves the
        // reserve to free the lock, so that the same hook line re-run at once is not refused.
        try (ClusterLock.Lease held = reporter.call(null, "lock",
                () -> ClusterLocks.acquire(lock, cluster.name(), "handover " + commandName + " --command=" + args.command,
                        callDeadline, deadline.remaining().dividedBy(2), reporter),
                lease -> lock.description())) {
            lockHeld = held::held;
            return call.call();
        }
    }

    /** Kept back from the work for releasing the lock: an eighth of the deadline, at most 2 s. */
    static java.time.Duration lockReserve(java.time.Duration callDeadline) {
        java.time.Duration eighth = callDeadline.dividedBy(8);
        return eighth.compareTo(java.time.Duration.ofSeconds(2)) < 0 ? eighth : java.time.Duration.ofSeconds(2);
    }

    /**
     * MHA's status: exit 0 only if every backend answers and sends clients to the orig master, by
     * every vantage point that {@code start} will verify (each Consul DNS server too), and nothing
     * a backend can see ahead would make the failover fail ({@link io.handover.api.Redirect#readiness}).
     * Advises {@code register} only when clients are sent elsewhere: it cannot make a server answer.
     */
    int status() throws Exception {
        Host orig = args.origMaster(cluster);
        List<String> problems = new ArrayList<>();
        AtomicBoolean elsewhere = new AtomicBoolean();
        for (RedirectEntry redirect : cluster.redirects()) {
            String backend = redirect.describe();
            try {
                reporter.run(backend, "status", () -> {
                    RedirectState state = redirect.redirect().current(deadline);
                    List<String> found = new ArrayList<>();
                    state.disagreement(orig, "the orig master").ifPresent(found::add);
                    elsewhere.compareAndSet(false, state.sendsElsewhere(orig));
                    StatusCommand.readiness(redirect, deadline).forEach(problem -> found.add(problem.text()));
                    if (!found.isEmpty()) {
                        throw new IllegalStateException(String.join("; ", found));
                    }
                    return "sends clients to " + orig;
                });
            } catch (Exception e) {
                problems.add(backend + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new FailedException(String.join("; ", problems) + (elsewhere.get()
                    ? "; to send clients to the current master run: handover register --cluster " + cluster.name() : ""));
        }
        return ExitCode.OK;
    }

    /** MHA's stop (host down) and stopssh (host answers), and an online change's stop (host answers). */
    int release(Reachability reachability, Deadline by) {
        return exitCode(new Redirector(cluster, reporter, lockHeld).release(args.origMaster(cluster), reachability, by), "release");
    }

    int activate() {
        Host newMaster = args.newMaster(cluster);
        if (!newMaster.candidate()) {
            nonCandidate(newMaster);
        }
        return exitCode(new Redirector(cluster, reporter, lockHeld).activate(newMaster, deadline), "activate");
    }

    /**
     * MHA promoted a host the configuration says must not be master ({@code candidate = false}):
     * in MHA's log and the journal, a warning, or with {@code non-candidate-promotion = refuse} a
     * refusal before any backend is touched (MHA then stops; clients stay where they were).
     */
    private void nonCandidate(Host newMaster) {
        String why = "MHA promoted " + newMaster.name() + ", which has candidate = false in " + handover.configPath();
        if (cluster.refuseNonCandidatePromotion()) {
            String refusal = why + ", and non-candidate-promotion = refuse: no client was moved, and MHA stops the failover"
                    + " here (before it makes " + newMaster.name() + " writable and repoints the replicas);"
                    + " what to do next: docs/OPERATIONS.md, \"MHA promoted a non-candidate\"";
            reporter.report(null, "candidate " + newMaster.name(), "refused", 0, refusal);
            throw new RefusedException(refusal);
        }
        reporter.report(null, "candidate " + newMaster.name(), "warning", 0,
                why + "; moving clients to it anyway (non-candidate-promotion = warn)");
    }

    private int exitCode(Redirector.Outcome outcome, String what) {
        return switch (outcome) {
            case OK -> ExitCode.OK;
            case PROCEED -> ExitCode.PROCEED;
            case FAILED -> throw new FailedException(what + " failed for cluster " + cluster.name()
                    + " (see the lines above and: handover journal --cluster " + cluster.name() + ")");
        };
    }

    /** @param known the commands this hook takes, in the order MHA calls them */
    static HandoverException unknownCommand(String command, List<String> known) {
        String expected = known.size() == 1 ? known.get(0)
                : String.join(", ", known.subList(0, known.size() - 1)) + " or " + known.get(known.size() - 1);
        return new HandoverException(ExitCode.USAGE, "unknown --command=" + command + "; expected " + expected);
    }
}
