package io.handover.cli;

import io.handover.api.ClusterLock;
import io.handover.api.Host;
import io.handover.flow.FailedException;
import io.handover.flow.RefusedException;
import io.handover.lock.ClusterLocks;
import io.handover.api.Deadline;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.flow.Redirector;
import io.handover.flow.StepReporter;
import io.handover.journal.Journal;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.HostStatus;
import io.handover.mysql.TopologyInspector;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "register", mixinStandardHelpOptions = true, description = {
    "Send the cluster's clients to its writable master through every backend.",
    "Finds the writable master over MySQL, activates it in every redirect backend and verifies.",
    "Run it once before starting MHA, or to repair a redirect by hand.",
    "Refuses (exit 4, nothing changed) unless exactly one host is writable, or while the failover"
        + " lock is held (it names the holder; run register again when that one is done)."})
final class RegisterCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
    private String clusterName;

    @Override
    public Integer call() throws Exception {
        HandoverConfig config = handover.config(ConfigUse.cluster(clusterName));
        ClusterConfig cluster = Clusters.select(config, clusterName).get(0);
        Deadline deadline = Deadline.after(cluster.deadline());
        StepReporter reporter = new StepReporter("register", cluster.name(), new Journal(config.journalDirectory()),
                handover.out(), handover.err());
        // Checked before the lock too, so that a cluster without one writable master is refused at once, and journalled.
        reporter.call(null, "find master", () -> writableMaster(cluster, deadline), RegisterCommand::describe);
        ClusterLocks.NamedLock lock = ClusterLocks.of(config, cluster);
        // Held while it redirects: a switchover or a hook running meanwhile could otherwise be undone
        // by a register that read the topology before they changed it. Read again once it is held.
        Redirector.Outcome outcome;
        try (ClusterLock.Lease lease = reporter.call(null, "lock",
                () -> ClusterLocks.acquire(lock, cluster.name(), "handover register --cluster " + cluster.name(), deadline,
                        java.time.Duration.ZERO, reporter), held -> lock.description())) {
            Host master = reporter.call(null, "find master again", () -> writableMaster(cluster, deadline), RegisterCommand::describe);
            outcome = new Redirector(cluster, reporter, lease::held).activate(master, deadline);
        }
        if (outcome != Redirector.Outcome.OK) {
            throw new FailedException("register failed for cluster " + cluster.name()
                    + " (see the lines above and: handover journal --cluster " + cluster.name() + ")");
        }
        return ExitCode.OK;
    }

    private static String describe(Host master) {
        return master.name() + " is the one writable host";
    }

    private static Host writableMaster(ClusterConfig cluster, Deadline deadline) {
        ClusterStatus topology = TopologyInspector.inspect(cluster, deadline);
        List<HostStatus> writable = topology.hosts().stream().filter(HostStatus::writable).toList();
        if (writable.size() != 1) {
            throw new RefusedException("refused: cluster " + cluster.name() + " has "
                    + writable.size() + " writable hosts, register needs exactly one"
                    + (topology.healthy() ? "" : "; problems: " + String.join("; ", topology.problems())));
        }
        return writable.get(0).host();
    }
}
