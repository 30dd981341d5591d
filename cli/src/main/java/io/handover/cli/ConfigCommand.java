package io.handover.cli;

import io.handover.config.RedirectEntry;
import io.handover.config.ClusterConfig;
import io.handover.config.EffectiveConfig;
import io.handover.config.HandoverConfig;
import io.handover.config.InvalidConfigException;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with the configuration file.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @ParentCommand
    Handover handover;

    @Command(name = "check", mixinStandardHelpOptions = true, description = {
        "Validate the configuration and print it as handover uses it.",
        "Prints every key with its value, defaults marked '# default', secrets as [REDACTED].",
        "Reports every problem of every cluster at once, each with its path and file:line; exit 3 if there is any."})
    static final class Check implements Callable<Integer> {

        @ParentCommand
        private ConfigCommand parent;

        @Override
        public Integer call() throws InvalidConfigException {
            Handover handover = parent.handover;
            HandoverConfig config = handover.config();
            handover.out().println(EffectiveConfig.render(config));
            for (ClusterConfig cluster : config.clusters().values()) {
                handover.err().println("cluster " + cluster.name() + ": " + cluster.cluster().hosts().size() + " hosts, redirect "
                        + cluster.redirects().stream().map(RedirectEntry::describe).collect(Collectors.joining(", "))
                        + ", failover lock " + config.lock().describe());
            }
            handover.err().println("configuration " + config.file() + " is valid");
            return ExitCode.OK;
        }
    }
}
