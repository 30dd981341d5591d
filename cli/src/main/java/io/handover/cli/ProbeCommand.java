package io.handover.cli;

import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.journal.Journal;
import io.handover.probe.ProbeLedger;
import io.handover.probe.ProbeSession;
import io.handover.probe.ProbeVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "probe", mixinStandardHelpOptions = true, description = {
    "Measure what a master change costs the clients.",
    "Writes numbered rows through the cluster's client endpoint, as an application would, and reports"
        + " what a master change cost: the longest write outage, errors by kind, and at the end whether every"
        + " acknowledged write is on the final master and whether a fenced master took any write (fences come"
        + " from the journal: run the probe where switchover or MHA's hooks run).",
    "Resolves client-endpoint.name through client-endpoint.dns for every new connection, without a cache."
        + " Writes to table handover_probe in probe.database as probe.user, an account it creates with INSERT"
        + " and SELECT only, so that read_only stops it as it stops an application.",
    "Exit 0 = nothing lost and no write on a fenced master, 1 = otherwise."})
final class ProbeCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
    private String clusterName;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "30s",
            description = "How long to write (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "10ms",
            description = "Time between two writes (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--cleanup", description = "Drop the probe's table and account, and write nothing.")
    private boolean cleanup;

    @Override
    public Integer call() throws Exception {
        HandoverConfig config = handover.config(ConfigUse.cluster(clusterName));
        ClusterConfig cluster = Clusters.select(config, clusterName).get(0);
        if (cleanup) {
            handover.out().println(ProbeSession.cleanUp(cluster));
            return ExitCode.OK;
        }
        ProbeSession session = ProbeSession.prepare(cluster, event -> {
            handover.err().println("handover [" + cluster.name() + "] probe: " + event);
            handover.err().flush();
        });
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        ProbeLedger ledger = session.run(duration, interval, new AtomicBoolean());
        Instant end = Instant.now();
        ProbeVerdict verdict = session.judge(ledger, new Journal(config.journalDirectory()).read(cluster.name()), start, end);
        session.print(ledger, verdict, Duration.ofNanos(System.nanoTime() - startNanos), interval, handover.out());
        return verdict.passed() ? ExitCode.OK : ExitCode.FAILED;
    }
}
