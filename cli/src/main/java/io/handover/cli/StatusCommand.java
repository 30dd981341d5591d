package io.handover.cli;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.RedirectState;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.config.InvalidConfigException;
import io.handover.config.RedirectEntry;
import io.handover.api.Host;
import io.handover.api.Problem;
import io.handover.api.Targets;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.handover.journal.Journal;
import java.util.Optional;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.HostInspections;
import io.handover.mysql.HostStatus;
import io.handover.mysql.TopologyInspector;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true, description = {
    "Show each cluster's hosts and where clients are sent; exit 1 if a cluster is unhealthy.",
    "Per host: reachable, role, replication source, IO/SQL threads, lag, GTID position, version.",
    "Per redirect backend: where it sends clients now, as each of its vantage points sees it.",
    "Flags no writable master, two writable masters, a replica of a server outside the cluster, broken or"
        + " lagging replication, unreachable hosts, and clients sent elsewhere than the master, and what would"
        + " make a failover fail (a Consul token missing rules, an agent-owned Consul node).",
    "Problem codes and the JSON and Prometheus formats: README, \"status output\"."})
final class StatusCommand implements Callable<Integer> {

    static final Duration BACKEND_DEADLINE = Duration.ofSeconds(5);

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    private String clusterName;

    /** What {@code --format} takes. */
    enum Format { table, json, prometheus }

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), json, or prometheus (node_exporter's"
            + " textfile collector format: write it to a file ending in .prom)")
    private Format format = Format.table;

    @Option(names = "--json", description = "The same as --format json.")
    private boolean json;

    /** A cluster's topology and where its backends send clients. */
    record Report(ClusterStatus topology, List<BackendView> redirects) {}

    /**
     * @param sendsTo the hosts it sends clients to, by name
     * @param unmapped what it sends clients to that is no host of the cluster
     */
    record BackendView(String backend, String target, List<String> sendsTo, List<String> unmapped,
            List<ObservationView> observations, String error, @JsonIgnore Optional<RedirectState> state) {}

    record ObservationView(String source, List<String> sendsTo, List<String> unmapped, String error) {}

    /** Clusters whose backends are asked at once; their hosts go through {@link HostInspections}' own bound. */
    static final int CLUSTER_PARALLELISM = 8;

    @Override
    public Integer call() throws Exception {
        if (json && format != Format.table && format != Format.json) {
            throw new HandoverException(ExitCode.USAGE, "--json means --format json; give --format " + format + " alone");
        }
        HandoverConfig config = handover.config(ConfigUse.cluster(clusterName));
        List<Report> reports = reports(Clusters.select(config, clusterName));
        switch (json ? Format.json : format) {
            case json -> StatusJson.print(reports, handover.out());
            case prometheus -> StatusPrometheus.print(reports, new Journal(config.journalDirectory()), handover.out(), handover.err());
            case table -> reports.forEach(report -> print(report, handover.out()));
        }
        return reports.stream().allMatch(report -> report.topology().healthy()) ? ExitCode.OK : ExitCode.FAILED;
    }

    /**
     * Every cluster's report, in order. However many clusters there are, each server is asked once
     * (clusters may share one) and a bounded number at a time: a hundred clusters must not mean
     * hundreds of simultaneous connections and name lookups.
     */
    static List<Report> reports(List<ClusterConfig> clusters) throws InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, Math.min(clusters.size(), CLUSTER_PARALLELISM)),
                runnable -> {
                    Thread thread = new Thread(runnable, "status");
                    thread.setDaemon(true);
                    return thread;
                });
        try (HostInspections inspections = new HostInspections(HostInspections.DEFAULT_PARALLELISM)) {
            List<Future<Report>> futures = new ArrayList<>();
            for (ClusterConfig cluster : clusters) {
                futures.add(executor.submit(() -> report(cluster, inspections)));
            }
            List<Report> reports = new ArrayList<>();
            for (Future<Report> future : futures) {
                try {
                    reports.add(future.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            }
            return reports;
        } finally {
            executor.shutdownNow();
        }
    }

    static Report report(ClusterConfig cluster) {
        try (HostInspections inspections = new HostInspections(cluster.cluster().hosts().size())) {
            return report(cluster, inspections);
        }
    }

    static Report report(ClusterConfig cluster, HostInspections inspections) {
        ClusterStatus topology = TopologyInspector.inspect(cluster, inspections, Deadline.after(cluster.deadline()));
        List<BackendView> views = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (RedirectEntry redirect : cluster.redirects()) {
            // each backend, and its readiness check, its own: a slow one (SSH to every host, DNS
            // servers that do not answer) must not leave the next none
            BackendView view = backendView(redirect, Deadline.after(min(cluster.deadline(), BACKEND_DEADLINE)));
            views.add(view);
            problems.addAll(redirectProblems(topology, view));
            if (view.error() == null) {
                readiness(redirect, Deadline.after(min(cluster.deadline(), BACKEND_DEADLINE))).forEach(problem ->
                        problems.add(new Problem(problem.code(), view.target() + ": " + problem.text())));
            }
        }
        return new Report(topology.withProblems(problems), views);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    /**
     * What the backend says would make a failover fail, its texts without the backend's name; a
     * check that could not run is one more problem.
     */
    static List<Problem> readiness(RedirectEntry redirect, Deadline deadline) {
        try {
            return redirect.redirect().readiness(deadline);
        } catch (BackendException | RuntimeException e) {
            return List.of(new Problem("readiness-unknown", "could not check what a failover needs: "
                    + (e instanceof BackendException ? e.getMessage() : e.toString())));
        }
    }

    private static BackendView backendView(RedirectEntry redirect, Deadline deadline) {
        String target = redirect.describe();
        try {
            RedirectState state = redirect.redirect().current(deadline);
            List<ObservationView> observations = state.observations().stream().map(observation -> new ObservationView(
                    observation.source(), names(observation.targets()), observation.targets().unmapped(), observation.error())).toList();
            return new BackendView(redirect.backendName(), target, names(state.targets()), state.targets().unmapped(),
                    observations, null, Optional.of(state));
        } catch (BackendException e) {
            return new BackendView(redirect.backendName(), target, List.of(), List.of(), List.of(), e.getMessage(), Optional.empty());
        } catch (RuntimeException e) {
            return new BackendView(redirect.backendName(), target, List.of(), List.of(), List.of(), e.toString(), Optional.empty());
        }
    }

    private static List<String> names(Targets targets) {
        return targets.hosts().stream().map(Host::name).toList();
    }

    /** The one comparison every command shares ({@link RedirectState#disagreement}), against the writable master. */
    private static List<Problem> redirectProblems(ClusterStatus topology, BackendView view) {
        if (view.error() != null) {
            return List.of(new Problem("redirect-unreadable", view.target() + " cannot be read: " + view.error()));
        }
        RedirectState state = view.state().orElseThrow();
        Optional<HostStatus> master = topology.master();
        if (master.isEmpty()) {
            // No single master to compare with; clients sent to two hosts are a problem all the same.
            Targets targets = state.targets();
            return targets.hosts().size() + targets.unmapped().size() > 1
                    ? List.of(new Problem("redirect-several-targets",
                            view.target() + " sends clients to " + targets.describe() + ": more than one server"))
                    : List.of();
        }
        String advice = state.sendsElsewhere(master.get().host())
                ? "; to send clients to it run: handover register --cluster " + topology.cluster() : "";
        return state.disagreement(master.get().host(), "the writable master")
                .map(problem -> List.of(new Problem("redirect-disagrees", view.target() + " " + problem + advice)))
                .orElse(List.of());
    }

    static void print(Report report, PrintWriter out) {
        ClusterStatus topology = report.topology();
        out.println("cluster " + topology.cluster() + ": " + (topology.healthy() ? "healthy" : "UNHEALTHY"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("HOST", "ADDRESS", "ROLE", "SOURCE", "IO/SQL", "LAG", "GTID", "VERSION"));
        for (HostStatus host : topology.hosts()) {
            rows.add(hostRow(host));
        }
        printColumns(rows, out);
        for (BackendView view : report.redirects()) {
            out.println("  redirect " + view.target() + " -> "
                    + (view.error() != null ? "unknown (" + view.error() + ")" : view.state().orElseThrow().targets().describe()));
            for (RedirectState.Observation observation : view.state().map(RedirectState::observations).orElse(List.of())) {
                out.println("    " + observation.source() + ": "
                        + (observation.error() != null ? "error: " + observation.error() : observation.targets().describe()));
            }
        }
        if (!topology.healthy()) {
            out.println("  problems:");
            topology.problems().forEach(problem -> out.println("    - " + problem));
        }
        out.flush();
    }

    private static List<String> hostRow(HostStatus host) {
        if (!host.reachable()) {
            return List.of(host.host().name(), host.host().endpoint(), host.role(), "-", "-", "-", "-", "-");
        }
        String source = "-";
        String threads = "-";
        String lag = "-";
        if (host.replica() != null) {
            source = host.replica().source();
            threads = host.replica().ioRunning() + "/" + host.replica().sqlRunning();
            lag = host.replica().lagSeconds() == null ? "?" : host.replica().lagSeconds() + "s";
        }
        return List.of(host.host().name(), host.host().endpoint(), host.role(), source, threads, lag,
                host.gtidPosition().isEmpty() ? "-" : host.gtidPosition(), host.flavor().displayName() + " " + host.version().split("-")[0]);
    }

    /** Each column as wide as its widest cell, so that no host name or address, however long, shifts the others. */
    static void printColumns(List<List<String>> rows, PrintWriter out) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append("  ").append(String.format("%-" + widths[i] + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
