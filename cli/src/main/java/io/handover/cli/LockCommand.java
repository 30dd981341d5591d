package io.handover.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.flow.FailedException;
import io.handover.flow.RefusedException;
import io.handover.flow.StepReporter;
import io.handover.journal.Journal;
import io.handover.lock.ClusterLocks;
import io.handover.lock.LocalFileLock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "lock", mixinStandardHelpOptions = true, description = {
    "Show who holds the cluster's failover lock; --force breaks it.",
    "The lock is the one that switchover, register and the MHA hooks take. Shown: holder, host and PID"
        + " (and whether that process still runs, if it is on this host), since when, the Consul session,"
        + " and where the lock lives (lock.backend: consul or file).",
    "With --force, break it, for a holder that died or hangs on another host: asks nothing, says what"
        + " it broke, journals it. A Consul lock is broken by destroying its holder's session; handover's"
        + " sessions have no lock-delay, so the next taker gets it at once. A lock file is never broken:"
        + " the OS frees it when its holder's process ends. A hook breaks by itself the lock of a holder"
        + " on its own host whose process has ended.",
    "Exit 0 shown or broken; 1 the lock service cannot be reached; 4 nothing held to break, or a lock file."})
final class LockCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
    private String clusterName;

    @Option(names = "--force", description = "Break the lock, whoever holds it.")
    private boolean force;

    @Option(names = "--json", description = "Print the lock as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        // The lock lives in a backend or a file: no MySQL login, so no MySQL password needed.
        HandoverConfig config = handover.config(new ConfigUse(Set.of(clusterName), false, true));
        ClusterConfig cluster = Clusters.select(config, clusterName).get(0);
        Deadline deadline = Deadline.after(cluster.deadline());
        ClusterLocks.NamedLock lock = ClusterLocks.of(config, cluster);
        if (!force) {
            print(cluster, lock, read(cluster, lock, deadline), false);
            return ExitCode.OK;
        }
        // With --json, stdout carries the JSON alone: the step lines go to stderr.
        StepReporter reporter = new StepReporter("lock --force", cluster.name(), new Journal(config.journalDirectory()),
                json ? handover.err() : handover.out(), handover.err());
        ClusterLock.Holding held;
        try {
            held = breakable(cluster, lock, read(cluster, lock, deadline));
        } catch (RefusedException e) {
            // Nothing was tried, so no step line: the error says why once, and the journal keeps the attempt.
            reporter.journalRefusal(null, "break lock", e.getMessage());
            throw e;
        }
        ClusterLock.Holding holding = reporter.call(null, "break lock", () -> breakLock(cluster, lock, held, deadline),
                broken -> "broke the " + lock.description() + ", held by " + broken.holder()
                        + (broken.since() == null ? "" : " since " + broken.since())
                        + (broken.id() == null ? "" : ": destroyed Consul session " + broken.id()));
        print(cluster, lock, Optional.of(holding), true);
        return ExitCode.OK;
    }

    /** The holding to break; refuses when there is none, or for a lock file. */
    private static ClusterLock.Holding breakable(ClusterConfig cluster, ClusterLocks.NamedLock lock, Optional<ClusterLock.Holding> held) {
        ClusterLock.Holding holding = held.orElseThrow(() -> new RefusedException(
                "refused: nothing to break, the failover lock of cluster " + cluster.name() + " is free (" + lock.description() + ")"));
        if (lock.lock() instanceof LocalFileLock) {
            throw new RefusedException("refused: " + ClusterLocks.held(lock, cluster.name(), holding)
                    + ", so that process is alive; end it if it hangs. Nothing was changed");
        }
        return holding;
    }

    /** The holding it broke; refuses when another holder took the lock meanwhile. */
    private static ClusterLock.Holding breakLock(ClusterConfig cluster, ClusterLocks.NamedLock lock, ClusterLock.Holding holding,
            Deadline deadline) {
        try {
            if (!lock.lock().breakHolding(holding, deadline)) {
                throw new RefusedException("refused: the failover lock of cluster " + cluster.name() + " changed hands while it was"
                        + " being broken; nothing was broken, run handover lock --cluster " + cluster.name() + " to see its holder");
            }
            return holding;
        } catch (BackendException e) {
            throw new FailedException("cannot break the failover lock of cluster " + cluster.name() + " (" + lock.description()
                    + "): " + e.getMessage(), e);
        }
    }

    private static Optional<ClusterLock.Holding> read(ClusterConfig cluster, ClusterLocks.NamedLock lock, Deadline deadline) {
        try {
            return lock.lock().holding(deadline);
        } catch (BackendException e) {
            throw new FailedException("cannot read the failover lock of cluster " + cluster.name() + " (" + lock.description()
                    + "): " + e.getMessage(), e);
        }
    }

    private void print(ClusterConfig cluster, ClusterLocks.NamedLock lock, Optional<ClusterLock.Holding> holding, boolean broken)
            throws Exception {
        Optional<ClusterLocks.HolderProcess> process = holding.flatMap(held -> ClusterLocks.process(held.holder()));
        Optional<Boolean> running = process.flatMap(ClusterLocks.HolderProcess::running);
        if (json) {
            ObjectNode node = JsonNodeFactory.instance.objectNode().put("cluster", cluster.name()).put("backend", lock.backend())
                    .put("lock", lock.description()).put("held", holding.isPresent() && !broken).put("broken", broken);
            node.put("holder", holding.map(ClusterLock.Holding::holder).orElse(null));
            node.put("host", process.map(ClusterLocks.HolderProcess::host).orElse(null));
            node.put("pid", process.map(ClusterLocks.HolderProcess::pid).orElse(null));
            node.put("running", running.orElse(null));
            node.put("since", holding.map(ClusterLock.Holding::since).map(Instant::toString).orElse(null));
            node.put("session", holding.map(ClusterLock.Holding::id).orElse(null));
            handover.out().println(JsonOutput.line(node));
            return;
        }
        if (holding.isEmpty()) {
            handover.out().println("cluster " + cluster.name() + ": the failover lock is free (" + lock.description() + ")");
            return;
        }
        ClusterLock.Holding held = holding.get();
        String since = held.since() == null ? null : held.since() + " (" + Duration.between(held.since(), Instant.now()).toSeconds() + " s ago)";
        if (broken) {
            // the holder last: its text is free-form (a command line) and would blur a sentence after it
            handover.out().println("cluster " + cluster.name() + ": broke the failover lock (" + lock.description() + ") held"
                    + (since == null ? "" : " since " + since) + " by " + held.holder());
        } else {
            handover.out().println("cluster " + cluster.name() + ": the failover lock is held (" + lock.description() + ")");
            handover.out().println("  holder:  " + held.holder());
        }
        process.ifPresent(p -> handover.out().println("  process: pid " + p.pid() + " on " + p.host() + running.map(alive -> alive
                ? " (this host; running)" : " (this host; no longer running: a stale lock)").orElse(" (another host)")));
        if (since != null && !broken) {
            handover.out().println("  since:   " + since);
        }
        if (held.id() != null) {
            handover.out().println("  session: " + held.id());
        }
        if (!broken && !(lock.lock() instanceof LocalFileLock)) {
            handover.out().println("  if that process is gone: handover lock --cluster " + cluster.name() + " --force");
        }
    }
}
