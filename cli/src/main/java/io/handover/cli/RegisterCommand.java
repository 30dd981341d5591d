package io.handover.cli;

import io.handover.api.Deadline;
import io.handover.config.ClusterConfig;
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
    "Find the cluster's writable master over MySQL, send its clients there through every redirect",
    "backend, and verify. Run it once before starting MHA, or to repair a redirect by hand.",
    "Refuses (exit 4, nothing changed) unless exactly one host is writable."})
final class RegisterCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
    private String clusterName;

    @Override
    public Integer call() throws Exception {
        HandoverConfig config = handover.config();
        ClusterConfig cluster = Clusters.select(config, clusterName).get(0);
        Deadline deadline = Deadline.after(cluster.deadline());
        ClusterStatus topology = TopologyInspector.inspect(cluster);
        List<HostStatus> writable = topology.hosts().stream().filter(HostStatus::writable).toList();
        if (writable.size() != 1) {
            throw new HandoverException(ExitCode.REFUSED, "refused: cluster " + cluster.name() + " has "
                    + writable.size() + " writable hosts, register needs exactly one"
                    + (topology.healthy() ? "" : "; problems: " + String.join("; ", topology.problems())));
        }
        StepReporter reporter = new StepReporter("register", cluster.name(), new Journal(config.journalDirectory()),
                handover.out(), handover.err());
        Redirector.Outcome outcome = new Redirector(cluster, reporter).activate(writable.get(0).host(), deadline);
        if (outcome != Redirector.Outcome.OK) {
            throw new HandoverException(ExitCode.FAILED, "register failed for cluster " + cluster.name()
                    + " (see the lines above and: handover journal --cluster " + cluster.name() + ")");
        }
        return ExitCode.OK;
    }
}
