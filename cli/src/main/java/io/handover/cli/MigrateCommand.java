package io.handover.cli;

import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.config.InvalidConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        subcommands = {MigrateCheckCommand.class, MigrateClientsCommand.class, MigrateRetireCommand.class, MigratePlanCommand.class},
        description = {
            "Move a cluster's clients from a VIP or route table to Consul, stage by stage.",
            "Each stage has a way back: plan says where the cluster stands, check proves the redirects agree,"
                + " clients shows who still comes in on each path, retire takes the old one off the master.",
            "The stages and the configuration of each: docs/MIGRATION.md."})
final class MigrateCommand implements Runnable {

    @ParentCommand
    private Handover handover;

    /** The options of the subcommands that only read and report. */
    static final class ReadOptions {
        @picocli.CommandLine.Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster.")
        String cluster;

        @picocli.CommandLine.Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;
    }

    @Override
    public void run() {
        throw new HandoverException(ExitCode.USAGE, "migrate needs a subcommand: check, clients, retire or plan (handover migrate --help)");
    }

    Handover handover() {
        return handover;
    }

    ClusterConfig cluster(String name) throws InvalidConfigException {
        return Clusters.select(config(name), name).get(0);
    }

    /** The configuration, refused only for problems in this cluster (another's broken block does not stop it). */
    HandoverConfig config(String cluster) throws InvalidConfigException {
        return handover.config(ConfigUse.cluster(cluster));
    }

    void printJson(Object value) throws Exception {
        handover.out().println(JsonOutput.indented(value));
        handover.out().flush();
    }

    void print(String text) {
        handover.out().print(text);
        handover.out().flush();
    }
}
