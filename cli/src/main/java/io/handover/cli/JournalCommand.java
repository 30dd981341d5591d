package io.handover.cli;

import io.handover.config.ClusterConfig;
import io.handover.config.HandoverConfig;
import io.handover.journal.Journal;
import io.handover.journal.JournalEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "journal", mixinStandardHelpOptions = true, description = {
    "Print what handover did: one line per step of every hook, register and switchover run,",
    "oldest first, from journal.directory/<cluster>.jsonl."})
final class JournalCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    private String clusterName;

    @Option(names = "--last", paramLabel = "N", description = "Only the last N entries.")
    private Integer last;

    @Option(names = "--json", description = "Print the entries as JSON lines.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        if (last != null && last < 0) {
            throw new HandoverException(ExitCode.USAGE, "--last takes a number of entries, 0 or more; got " + last);
        }
        HandoverConfig config = handover.config();
        Journal journal = new Journal(config.journalDirectory());
        List<JournalEntry> entries = new ArrayList<>();
        for (ClusterConfig cluster : Clusters.select(config, clusterName)) {
            entries.addAll(journal.read(cluster.name()));
        }
        entries.sort(Comparator.comparing(JournalEntry::time));
        if (last != null && entries.size() > last) {
            entries = entries.subList(entries.size() - last, entries.size());
        }
        for (JournalEntry entry : entries) {
            handover.out().println(json ? Journal.toJson(entry) : String.format("%s %-8s %-26s %-34s %-22s %-9s %6d ms %s",
                    entry.time(), entry.cluster(), entry.command(), entry.backend() == null ? "-" : entry.backend(),
                    entry.step(), entry.outcome(), entry.durationMs(), entry.detail() == null ? "" : entry.detail()));
        }
        if (entries.isEmpty()) {
            handover.err().println("handover: the journal in " + config.journalDirectory() + " has no entries"
                    + (clusterName == null ? "" : " for cluster " + clusterName));
        }
        return ExitCode.OK;
    }
}
