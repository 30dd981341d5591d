package io.handover.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.RedirectState;
import io.handover.config.ClusterConfig;
import io.handover.config.HandoverConfig;
import io.handover.config.InvalidConfigException;
import io.handover.config.Redirect;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.HostStatus;
import io.handover.mysql.TopologyInspector;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true, description = {
    "Show each cluster's hosts and where clients are sent; exit 1 if a cluster is unhealthy.",
    "Per host: reachable, role, replication source, IO/SQL threads, lag, GTID position, version.",
    "Per redirect backend: where it sends clients now, as each of its vantage points sees it.",
    "Flags no writable master, two writable masters, a replica of a server outside the cluster,",
    "broken or lagging replication, unreachable hosts, and clients sent elsewhere than the master."})
final class StatusCommand implements Callable<Integer> {

    static final Duration BACKEND_DEADLINE = Duration.ofSeconds(5);

    @ParentCommand
    private Handover handover;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only this cluster.")
    private String clusterName;

    @Option(names = "--json", description = "Print JSON for scripts.")
    private boolean json;

    /** A cluster's topology and where its backends send clients. */
    record Report(ClusterStatus topology, List<BackendView> redirects) {}

    record BackendView(String backend, String target, List<String> sendsTo, List<RedirectState.Observation> observations, String error) {}

    @Override
    public Integer call() throws Exception {
        HandoverConfig config = handover.config();
        List<ClusterConfig> clusters = Clusters.select(config, clusterName);
        List<CompletableFuture<Report>> futures = clusters.stream()
                .map(cluster -> CompletableFuture.supplyAsync(() -> report(cluster)))
                .toList();
        List<Report> reports = futures.stream().map(CompletableFuture::join).toList();
        if (json) {
            printJson(reports);
        } else {
            reports.forEach(report -> print(report, handover.out()));
        }
        return reports.stream().allMatch(report -> report.topology().healthy()) ? ExitCode.OK : ExitCode.FAILED;
    }

    static Report report(ClusterConfig cluster) {
        ClusterStatus topology = TopologyInspector.inspect(cluster);
        List<BackendView> views = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Redirect redirect : cluster.redirects()) {
            BackendView view = backendView(redirect, min(cluster.deadline(), BACKEND_DEADLINE));
            views.add(view);
            problems.addAll(redirectProblems(topology, view));
        }
        return new Report(topology.withProblems(problems), views);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static BackendView backendView(Redirect redirect, Duration limit) {
        String target = redirect.backend().describe();
        try {
            RedirectState state = redirect.backend().current(Deadline.after(limit));
            return new BackendView(redirect.backendName(), target, state.targets(), state.observations(), null);
        } catch (BackendException e) {
            return new BackendView(redirect.backendName(), target, List.of(), List.of(), e.getMessage());
        } catch (RuntimeException e) {
            return new BackendView(redirect.backendName(), target, List.of(), List.of(), e.toString());
        }
    }

    private static List<String> redirectProblems(ClusterStatus topology, BackendView view) {
        List<String> problems = new ArrayList<>();
        if (view.error() != null) {
            problems.add(view.target() + " cannot be read: " + view.error());
            return problems;
        }
        topology.master().ifPresent(master -> {
            if (!view.sendsTo().equals(List.of(master.host().address()))) {
                problems.add(view.target() + " sends clients to " + describe(view.sendsTo())
                        + ", not to the writable master " + master.host());
            }
        });
        for (RedirectState.Observation observation : view.observations()) {
            if (observation.error() != null) {
                problems.add(view.target() + ": " + observation.source() + " fails: " + observation.error());
            } else if (!observation.addresses().equals(view.sendsTo())) {
                problems.add(view.target() + ": " + observation.source() + " answers " + describe(observation.addresses())
                        + " but the backend sends clients to " + describe(view.sendsTo()));
            }
        }
        return problems;
    }

    private static String describe(List<String> addresses) {
        return addresses.isEmpty() ? "nowhere" : String.join(", ", addresses);
    }

    static void print(Report report, PrintWriter out) {
        ClusterStatus topology = report.topology();
        out.println("cluster " + topology.cluster() + ": " + (topology.healthy() ? "healthy" : "UNHEALTHY"));
        String format = "  %-8s %-22s %-26s %-22s %-9s %-6s %-22s %s%n";
        out.printf(format, "HOST", "ADDRESS", "ROLE", "SOURCE", "IO/SQL", "LAG", "GTID", "VERSION");
        for (HostStatus host : topology.hosts()) {
            if (!host.reachable()) {
                out.printf(format, host.host().name(), host.host().endpoint(), host.role(), "-", "-", "-", "-", "-");
                continue;
            }
            String source = "-";
            String threads = "-";
            String lag = "-";
            if (host.replica() != null) {
                source = host.replica().source();
                threads = host.replica().ioRunning() + "/" + host.replica().sqlRunning();
                lag = host.replica().lagSeconds() == null ? "?" : host.replica().lagSeconds() + "s";
            }
            out.printf(format, host.host().name(), host.host().endpoint(), host.role(), source, threads, lag,
                    host.gtidPosition().isEmpty() ? "-" : host.gtidPosition(),
                    host.flavor().displayName() + " " + host.version().split("-")[0]);
        }
        for (BackendView view : report.redirects()) {
            out.println("  redirect " + view.target() + " -> "
                    + (view.error() != null ? "unknown (" + view.error() + ")" : describe(view.sendsTo())));
            for (RedirectState.Observation observation : view.observations()) {
                out.println("    " + observation.source() + ": "
                        + (observation.error() != null ? "error: " + observation.error() : describe(observation.addresses())));
            }
        }
        if (!topology.healthy()) {
            out.println("  problems:");
            topology.problems().forEach(problem -> out.println("    - " + problem));
        }
        out.flush();
    }

    private void printJson(List<Report> reports) throws Exception {
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (Report report : reports) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("cluster", report.topology().cluster());
            cluster.put("healthy", report.topology().healthy());
            cluster.put("master", report.topology().master().map(master -> master.host().name()).orElse(null));
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (HostStatus host : report.topology().hosts()) {
                hosts.add(hostJson(host));
            }
            cluster.put("hosts", hosts);
            cluster.put("redirects", report.redirects());
            cluster.put("problems", report.topology().problems());
            clusters.add(cluster);
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        handover.out().println(mapper.writeValueAsString(Map.of("clusters", clusters)));
        handover.out().flush();
    }

    private static Map<String, Object> hostJson(HostStatus host) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", host.host().name());
        json.put("address", host.host().address());
        json.put("port", host.host().port());
        json.put("reachable", host.reachable());
        json.put("error", host.error());
        json.put("role", host.role());
        json.put("writable", host.writable());
        if (host.reachable()) {
            json.put("flavor", host.flavor().displayName());
            json.put("version", host.version());
            json.put("serverId", host.serverId());
            json.put("readOnly", host.readOnly());
            json.put("superReadOnly", host.superReadOnly());
            json.put("gtidPosition", host.gtidPosition());
            json.put("replication", host.replica());
        }
        json.put("elapsedMs", host.elapsed().toMillis());
        return json;
    }
}
