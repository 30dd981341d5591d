package io.handover.cli;

import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.config.ClusterConfig;
import io.handover.config.HandoverConfig;
import io.handover.config.RedirectEntry;
import io.handover.flow.StepReporter;
import io.handover.journal.Journal;
import io.handover.lock.ClusterLocks;
import io.handover.migrate.RedirectList;
import io.handover.migrate.Retirement;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "retire", mixinStandardHelpOptions = true, description = {
    "Take an old redirect off the master once no client uses it.",
    "Stage 5 of a migration: take one redirect off the writable master (the VIP removed, the routes"
        + " deleted), then print the configuration edit that removes its entry.",
    "Refused (exit 4, nothing changed) while migrate clients counts application sessions on that path"
        + " (unless --force), for the primary or only redirect, without exactly one writable master, or while"
        + " the failover lock is held. Exit 2 when the cluster has no such redirect."})
final class MigrateRetireCommand implements Callable<Integer> {

    @ParentCommand
    private MigrateCommand migrate;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
    private String clusterName;

    @Option(names = "--backend", required = true, paramLabel = "NAME", description = "The redirect to retire, by backend: vip, aws-route.")
    private String backend;

    @Option(names = "--force", description = "Retire even while application sessions come in on that path (they keep their"
            + " connections; new ones fail).")
    private boolean force;

    @Override
    public Integer call() throws Exception {
        ClusterConfig cluster = migrate.cluster(clusterName);
        HandoverConfig config = migrate.config(cluster.name());
        int index = Retirement.entryOf(cluster, backend).orElseThrow(() -> new HandoverException(ExitCode.USAGE,
                "cluster " + cluster.name() + " has no " + backend + " redirect; its redirects: "
                        + String.join(", ", cluster.redirects().stream().map(RedirectEntry::backendName).toList())));
        RedirectEntry entry = cluster.redirects().get(index);
        Deadline deadline = Deadline.after(cluster.deadline());
        StepReporter reporter = new StepReporter("migrate-retire", cluster.name(), new Journal(config.journalDirectory()),
                migrate.handover().out(), migrate.handover().err());
        ClusterLocks.NamedLock lock = ClusterLocks.of(config, cluster);
        String command = "handover migrate retire --cluster " + cluster.name() + " --backend " + backend;
        try (ClusterLock.Lease lease = reporter.call(null, "lock",
                () -> ClusterLocks.acquire(lock, cluster.name(), command, deadline, Duration.ZERO, reporter), held -> lock.description())) {
            // master and sessions found under the lock: a failover cannot move the master between the count and the release
            Host master = Retirement.writableMaster(cluster, deadline);
            if (!force) {
                Retirement.refuseWhileUsed(MigrateClientsCommand.read(migrate, cluster, master, deadline), entry);
            }
            reporter.run(entry.describe(), "release " + master.name(),
                    () -> entry.redirect().release(master, Reachability.REACHABLE, deadline));
        }
        migrate.print("retired " + entry.describe() + "; now edit the configuration, "
                + Retirement.configEdit(cluster.name(), RedirectList.of(config.resolved(), cluster.name()), index) + "\n");
        return ExitCode.OK;
    }
}
