package io.handover.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** The MHA protocol both hooks share; they differ only in what {@code stop} does. */
abstract class MhaHookProtocol implements Callable<Integer> {

    @ParentCommand
    Handover handover;

    @Mixin
    MhaArguments args;

    /** ssh_user, ssh_options, *_ssh_host/_ip/_port/_user and whatever a later MHA adds: tolerated. */
    @Unmatched
    List<String> unmatched = new ArrayList<>();

    /** The command's name, for the journal. */
    abstract String name();

    /** The line for MHA's app.cnf, shown whole by --help so that it can be pasted. */
    abstract String appCnfLine();

    /** The values of --command this hook takes. */
    abstract List<String> commands();

    /** MHA's stop and stopssh: the orig master stops getting clients. */
    abstract int stop(MhaHook hook) throws Exception;

    /** Whether this call logs in to the orig master with the configured MySQL account, beyond what the backends do. */
    boolean logsInToMysql() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        if (!commands().contains(args.command)) {
            throw MhaHook.unknownCommand(args.command, commands());
        }
        MhaHook hook = new MhaHook(handover, args, unmatched, name(), logsInToMysql());
        try (HookWatchdog watchdog = hook.watchdog()) {
            return switch (args.command) {
                case "status" -> hook.status();
                case "stop", "stopssh" -> hook.locked(() -> stop(hook));
                default -> hook.locked(hook::activate);
            };
        }
    }

    /**
     * Adds to each hook's --help, after its description, its app.cnf line unwrapped: picocli wraps
     * description lines at 80 columns, and a wrapped line cannot be pasted.
     */
    static void showAppCnfWhole(CommandLine commandLine) {
        for (CommandLine command : commandLine.getSubcommands().values()) {
            if (command.getCommand() instanceof MhaHookProtocol hook) {
                // MHA passes MySQL passwords as --name=value, and a password may look like an option
                // (-hunter2, --x=y): the value it is, not a usage error that aborts the failover
                command.setAllowOptionsAsOptionParameters(true);
                command.getHelpSectionMap().put(APP_CNF_SECTION, help -> "In app.cnf (one line):%n  %s%n".formatted(hook.appCnfLine()));
                List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
                keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION) + 1, APP_CNF_SECTION);
                command.setHelpSectionKeys(keys);
            }
        }
    }

    private static final String APP_CNF_SECTION = "appCnf";
}
