package io.handover.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine.ParentCommand;

@Command(name = "mha-hook", mixinStandardHelpOptions = true, description = {
    "MHA's master_ip_failover_script. In app.cnf:",
    "  master_ip_failover_script=/opt/handover/bin/handover mha-hook --config=/etc/handover/handover.conf",
    "MHA appends --command and the masters' addresses; handover then:",
    "  status          checks every redirect sends clients to the orig master (exit 1 if not)",
    "  stop, stopssh   releases the orig master in every redirect backend",
    "  start           activates the new master and verifies clients reach exactly it",
    "Exit 0 = done, 10 = a secondary backend failed and secondary-failure = proceed, 1 = MHA must abort."})
final class MhaHookCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Mixin
    private MhaArguments args;

    /** ssh_user, ssh_options, *_ssh_host/_ip/_port/_user and whatever a later MHA adds: tolerated. */
    @Unmatched
    private List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        MhaHook hook = new MhaHook(handover, args, unmatched, "mha-hook");
        return switch (args.command) {
            case "status" -> hook.status();
            case "stop", "stopssh" -> hook.locked(hook::release);
            case "start" -> hook.locked(hook::activate);
            default -> throw MhaHook.unknownCommand(args.command);
        };
    }
}
