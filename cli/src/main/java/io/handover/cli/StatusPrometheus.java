package io.handover.cli;

import io.handover.api.Problem;
import io.handover.api.RedirectState;
import io.handover.api.Targets;
import io.handover.journal.Journal;
import io.handover.journal.JournalEntry;
import io.handover.mysql.HostStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code status --format prometheus}: node_exporter's textfile collector format (Prometheus text
 * exposition 0.0.4). Each metric once, with HELP and TYPE, its samples together; label values
 * escaped. Only names, addresses and states: never an error text, which could carry anything.
 */
final class StatusPrometheus {

    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    private record Metric(String help, List<String> samples) {}

    private StatusPrometheus() {}

    static void print(List<StatusCommand.Report> reports, Journal journal, PrintWriter out, PrintWriter err) {
        StatusPrometheus exposition = new StatusPrometheus();
        for (StatusCommand.Report report : reports) {
            exposition.cluster(report);
            try {
                exposition.journal(report.topology().cluster(), journal.read(report.topology().cluster()));
            } catch (IOException e) {
                err.println("handover: cannot read the journal of cluster " + report.topology().cluster() + ": " + e.getMessage());
            }
        }
        exposition.write(out);
    }

    private void cluster(StatusCommand.Report report) {
        String cluster = report.topology().cluster();
        Map<String, String> labels = Map.of("cluster", cluster);
        sample("handover_cluster_healthy", "1 if status found no problem in the cluster.", labels, report.topology().healthy());
        sample("handover_cluster_writable_masters", "How many of the cluster's hosts are writable: 1 when healthy.", labels,
                report.topology().hosts().stream().filter(HostStatus::writable).count());
        Map<String, Integer> byCode = new TreeMap<>();
        report.topology().findings().stream().map(Problem::code).forEach(code -> byCode.merge(code, 1, Integer::sum));
        byCode.forEach((code, count) -> sample("handover_cluster_problems", "Problems status found, by stable code (README).",
                labels(labels, "code", code), count));
        for (HostStatus host : report.topology().hosts()) {
            Map<String, String> hostLabels = labels(labels, "host", host.host().name());
            sample("handover_host_reachable", "1 if handover could log in to the host and ask it.",
                    labels(hostLabels, "endpoint", host.host().endpoint()), host.reachable());
            if (host.reachable()) {
                sample("handover_host_read_only", "The host's @@read_only.", hostLabels, host.readOnly());
            }
            if (host.replica() != null && host.replica().lagSeconds() != null) {
                sample("handover_host_replica_lag_seconds", "Seconds the replica is behind its source; absent when it cannot tell.",
                        hostLabels, host.replica().lagSeconds());
            }
        }
        for (StatusCommand.BackendView view : report.redirects()) {
            Map<String, String> redirectLabels = labels(labels(labels, "backend", view.backend()), "redirect", view.target());
            sample("handover_redirect_readable", "1 if the redirect backend answered where it sends clients.", redirectLabels,
                    view.error() == null);
            Targets targets = view.state().map(RedirectState::targets).orElse(Targets.NONE);
            Stream.concat(targets.hosts().stream().map(host -> host.name()), targets.unmapped().stream()).distinct().forEach(target ->
                    sample("handover_redirect_target", "1 for each place the redirect sends clients to: a host of the cluster, or"
                            + " what the backend names that is none.", labels(redirectLabels, "target", target), 1));
            boolean agrees = view.state().isPresent() && report.topology().master()
                    .map(master -> view.state().get().disagreement(master.host(), "the master").isEmpty()).orElse(false);
            sample("handover_redirect_agrees", "1 if the redirect, by every vantage point, sends clients to the writable master"
                    + " alone.", redirectLabels, agrees);
        }
    }

    private void journal(String cluster, List<JournalEntry> entries) {
        Map<String, JournalEntry> lastByOutcome = new TreeMap<>();
        for (JournalEntry entry : entries) {
            lastByOutcome.merge(entry.outcome(), entry, (a, b) -> b.time().isAfter(a.time()) ? b : a);
        }
        lastByOutcome.forEach((outcome, entry) -> sample("handover_journal_last_step_timestamp_seconds",
                "When the cluster's journal last recorded a step with this outcome (Unix time).",
                labels(Map.of("cluster", cluster), "outcome", outcome), entry.time().toEpochMilli() / 1000.0));
    }

    private static Map<String, String> labels(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(labels);
        more.put(name, value);
        return more;
    }

    private void sample(String name, String help, Map<String, String> labels, boolean value) {
        sample(name, help, labels, value ? 1 : 0);
    }

    private void sample(String name, String help, Map<String, String> labels, Number value) {
        List<String> rendered = new ArrayList<>();
        labels.forEach((label, text) -> rendered.add(label + "=\"" + escape(text) + "\""));
        metrics.computeIfAbsent(name, n -> new Metric(help, new ArrayList<>()))
                .samples().add(name + "{" + String.join(",", rendered) + "} " + value);
    }

    /** The exposition format's label escapes: backslash, double quote, line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private void write(PrintWriter out) {
        metrics.forEach((name, metric) -> {
            out.println("# HELP " + name + " " + metric.help());
            out.println("# TYPE " + name + " gauge");
            metric.samples().forEach(out::println);
        });
        out.flush();
    }
}
