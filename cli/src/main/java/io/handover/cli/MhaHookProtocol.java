package io.handover.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

    /** MHA's stop and stopssh: the orig master stops getting clients. */
    abstract int stop(MhaHook hook) throws Exception;

    /** Whether this call logs in to the orig master with the configured MySQL account, beyond what the backends do. */
    boolean logsInToMysql() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        MhaHook hook = new MhaHook(handover, args, unmatched, name(), logsInToMysql());
        return switch (args.command) {
            case "status" -> hook.status();
            case "stop", "stopssh" -> hook.locked(() -> stop(hook));
            case "start" -> hook.locked(hook::activate);
            default -> throw MhaHook.unknownCommand(args.command);
        };
    }
}
