package io.handover.cli;

import io.handover.config.ClusterConfig;
import io.handover.migrate.MigrationPlan;
import io.handover.migrate.MigrationText;
import io.handover.migrate.PathCheck;
import io.handover.migrate.RedirectList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "plan", mixinStandardHelpOptions = true, description = {
    "Say which migration stage the cluster has reached, and what comes next.",
    "Print the migration stages (0 today, 1 dual run, 2 agree, 3 cut over, 4 drain, 5 retire), which"
        + " one the cluster has reached (from its redirect list's order and what migrate check says), the"
        + " configuration of the next stage, the check to run, and how to roll back. Changes nothing.",
    "A cluster whose only redirect is already the target has nothing to migrate: plan says so, and exits 0."})
final class MigratePlanCommand implements Callable<Integer> {

    @ParentCommand
    private MigrateCommand migrate;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
    private String clusterName;

    @Option(names = "--to", required = true, paramLabel = "BACKEND", description = "Where clients move: consul (the only one today).")
    private String target;

    @Override
    public Integer call() throws Exception {
        if (!"consul".equals(target)) {
            throw new HandoverException(ExitCode.USAGE, "migrate plan --to " + target + ": only consul is a migration target");
        }
        ClusterConfig cluster = migrate.cluster(clusterName);
        RedirectList redirects = RedirectList.of(migrate.config(cluster.name()).resolved(), cluster.name());
        if (MigrationPlan.nothingToMigrate(redirects, target)) {
            // No stage list: its "done" marks would claim a migration that may never have happened.
            migrate.print(MigrationText.nothingToMigrate(cluster.name(), target));
            return ExitCode.OK;
        }
        boolean agrees = PathCheck.run(cluster).agrees();
        migrate.print(MigrationText.plan(MigrationPlan.of(cluster.name(), redirects, agrees, target)));
        return ExitCode.OK;
    }
}
