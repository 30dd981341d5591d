package io.handover.cli;

import io.handover.api.Reachability;
import picocli.CommandLine.Command;

@Command(name = "mha-hook", mixinStandardHelpOptions = true, description = {
    "MHA's master_ip_failover_script: moves the clients at a failover.",
    "MHA appends --command and the masters' addresses; handover then:",
    "  status         checks that every redirect sends clients to the orig master",
    "  stop, stopssh  releases the orig master in every redirect backend",
    "  start          activates the new master, verifies clients reach exactly it",
    "Exit 0 = done, 10 = a secondary backend failed and secondary-failure = proceed, 1 = MHA must abort."})
final class MhaHookCommand extends MhaHookProtocol {

    @Override
    String name() {
        return "mha-hook";
    }

    @Override
    String appCnfLine() {
        return "master_ip_failover_script=/opt/handover/bin/handover mha-hook --config=/etc/handover/handover.conf";
    }

    @Override
    java.util.List<String> commands() {
        return java.util.List.of("status", "stop", "stopssh", "start");
    }

    @Override
    int stop(MhaHook hook) {
        // MHA says stop when the orig master's host is down, stopssh when SSH to it works.
        Reachability reachability = args.command.equals("stopssh") ? Reachability.REACHABLE : Reachability.UNREACHABLE;
        return hook.release(reachability, hook.deadline);
    }
}
