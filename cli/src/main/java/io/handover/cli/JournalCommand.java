package io.handover.cli;

import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
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
    "Print what handover did, one line per step.",
    "Every step of every hook, register and switchover run, oldest first,"
        + " from journal.directory/<cluster>.jsonl: time, cluster, run id, command, backend, step,"
        + " outcome, duration, detail. One run id links the steps of one master change: a command"
        + " run, or MHA's stop and the start that follows it (same orig master, within an hour)."})
final class JournalCommand implements Callable<Integer> {

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    private String clusterName;

    @Option(names = "--last", paramLabel = "N", description = "Only the last N entries.")
    private Integer last;

    @Option(names = "--json", description = "Print the entries as JSON lines.")
    private boolean json;

    static final String IN_FLIGHT = "in flight/unknown";

    @Override
    public Integer call() throws Exception {
        if (last != null && last < 0) {
            throw new HandoverException(ExitCode.USAGE, "--last takes a number of entries, 0 or more; got " + last);
        }
        // The journal is local files: it needs no secret, and another cluster's problems do not hide this one's history.
        HandoverConfig config = handover.config(new ConfigUse(clusterName == null ? null : java.util.Set.of(clusterName), false, false));
        Journal journal = new Journal(config.journalDirectory());
        List<JournalEntry> entries = new ArrayList<>();
        for (ClusterConfig cluster : Clusters.select(config, clusterName)) {
            try {
                entries.addAll(journal.read(cluster.name()));
            } catch (java.io.IOException e) {
                throw new HandoverException(ExitCode.FAILED, "cannot read the journal of cluster " + cluster.name() + ": " + e.getMessage());
            }
        }
        entries.sort(Comparator.comparing(JournalEntry::time));
        entries = oncePerStep(entries);
        // Said of the journal, not of what --last leaves: --last 0 of a full journal prints nothing, and no "no entries".
        boolean journalEmpty = entries.isEmpty();
        if (last != null && entries.size() > last) {
            entries = entries.subList(entries.size() - last, entries.size());
        }
        for (JournalEntry entry : entries) {
            if (json) {
                handover.out().println(Journal.toJson(entry));
            } else if (entry.started()) {
                handover.out().println(String.format("%s %-8s %-8s %-26s %-34s %-22s %-9s %9s %s", entry.time(), entry.cluster(),
                        run(entry), entry.command(), entry.backend() == null ? "-" : entry.backend(), entry.step(), IN_FLIGHT, "-",
                        "started, no outcome recorded: still running, or handover was stopped (crash, kill) during it"));
            } else {
                handover.out().println(String.format("%s %-8s %-8s %-26s %-34s %-22s %-9s %6d ms %s",
                        entry.time(), entry.cluster(), run(entry), entry.command(), entry.backend() == null ? "-" : entry.backend(),
                        entry.step(), entry.outcome(), entry.durationMs(), entry.detail() == null ? "" : entry.detail()));
            }
        }
        if (journalEmpty) {
            handover.err().println("handover: the journal in " + config.journalDirectory() + " has no entries"
                    + (clusterName == null ? "" : " for cluster " + clusterName));
        }
        return ExitCode.OK;
    }

    /** The run id column: MHA's stop and the start that continues it share one. */
    private static String run(JournalEntry entry) {
        return entry.run() == null ? "-" : entry.run();
    }

    /** Each step once: its outcome, or, if none was recorded, the entry that says it started. */
    static List<JournalEntry> oncePerStep(List<JournalEntry> entries) {
        java.util.Set<String> finished = new java.util.HashSet<>();
        for (JournalEntry entry : entries) {
            if (!entry.started() && entry.id() != null) {
                finished.add(entry.id());
            }
        }
        return entries.stream().filter(entry -> !entry.started() || entry.id() == null || !finished.contains(entry.id())).toList();
    }
}
