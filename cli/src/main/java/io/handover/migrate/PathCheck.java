package io.handover.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.RedirectState;
import io.handover.api.RedirectState.Observation;
import io.handover.api.ServerIdentity;
import io.handover.api.Targets;
import io.handover.config.ClientEndpoint;
import io.handover.config.ClusterConfig;
import io.handover.config.RedirectEntry;
import io.handover.mysql.HostStatus;
import io.handover.mysql.MysqlIdentity;
import io.handover.mysql.TopologyInspector;
import io.handover.probe.EndpointResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether every redirect of a cluster sends clients to its writable master: each backend's own view
 * ({@link io.handover.api.Redirect#current}: its source of truth and every vantage point, the MySQL
 * server reached through a VIP among them) and, for a DNS-based path, a MySQL connection made
 * through the client endpoint's name the way a client makes it. Changes nothing.
 */
public final class PathCheck {

    /** What a backend's own view may take: the same bound as {@code status}. */
    static final Duration BACKEND_LIMIT = Duration.ofSeconds(5);
    /** How an observation of a real client connection is named; backends use it too ({@code mysql via VIP ...}). */
    static final String CLIENT_VIEW = "mysql via ";

    /**
     * One vantage point of one path.
     *
     * @param source what was asked ({@code source of truth}, {@code dns 10.0.0.2:8600}, {@code mysql via VIP ...})
     * @param answer where it sends clients, or why it could not answer
     * @param agrees whether that is the writable master alone
     */
    public record Vantage(String source, String answer, boolean agrees) {}

    /**
     * One redirect entry.
     *
     * @param backend its backend's name
     * @param target what it moves ({@code vip 198.51.100.50})
     * @param primary whether it is the first entry, which decides whether a failover may proceed
     * @param vantages every vantage point, its source of truth first
     * @param problem why it disagrees with the writable master, or null
     * @param note what this check could not do for it (no client connection possible from here), or null
     */
    public record PathResult(String backend, String target, boolean primary, List<Vantage> vantages, String problem, String note) {
        @JsonProperty("agrees")
        public boolean agrees() {
            return problem == null;
        }
    }

    /**
     * @param master the writable master ({@code db1 (198.51.100.11:3306)}), or null when there is not exactly one
     * @param problem why no path could be compared, or null
     */
    public record Result(String cluster, String master, List<PathResult> paths, String problem) {
        @JsonProperty("agrees")
        public boolean agrees() {
            return problem == null && paths.stream().allMatch(PathResult::agrees);
        }

        /** The disagreeing backends, for the one-line verdict. */
        public List<PathResult> disagreeing() {
            return paths.stream().filter(path -> !path.agrees()).toList();
        }
    }

    private PathCheck() {}

    public static Result run(ClusterConfig cluster) {
        Optional<HostStatus> writable = TopologyInspector.inspect(cluster, Deadline.after(cluster.deadline())).master();
        if (writable.isEmpty()) {
            return new Result(cluster.name(), null, List.of(), "cluster " + cluster.name()
                    + " has no single writable master: nothing to compare the redirects with (handover status --cluster " + cluster.name() + ")");
        }
        Host master = writable.get().host();
        ServerIdentity identity = new MysqlIdentity(cluster.mysql());
        List<PathResult> paths = new ArrayList<>();
        for (RedirectEntry entry : cluster.redirects()) {
            paths.add(check(cluster, entry, master, identity));
        }
        return new Result(cluster.name(), master.toString(), paths, null);
    }

    private static PathResult check(ClusterConfig cluster, RedirectEntry entry, Host master, ServerIdentity identity) {
        Deadline deadline = Deadline.after(min(cluster.deadline(), BACKEND_LIMIT));
        RedirectState state;
        try {
            state = entry.redirect().current(deadline);
        } catch (BackendException | RuntimeException e) {
            String error = e instanceof BackendException ? e.getMessage() : e.toString();
            return new PathResult(entry.backendName(), entry.describe(), entry.primary(),
                    List.of(new Vantage("source of truth", "cannot be read: " + error, false)), "cannot be read: " + error, null);
        }
        List<Observation> observations = new ArrayList<>(state.observations());
        String note = null;
        if (entry.redirect().clientAddress().isEmpty() && cluster.clientEndpoint().isPresent()) {
            // clients reach the master at its own address through a name: connect through that name
            observations.add(throughName(cluster, cluster.clientEndpoint().get(), master, identity, deadline));
        }
        if (observations.stream().noneMatch(observation -> observation.source().startsWith(CLIENT_VIEW))) {
            note = entry.redirect().clientAddress().isPresent()
                    ? "no data-plane client: handover cannot connect through " + entry.redirect().clientAddress().get()
                            + " from here, so only what " + entry.backendName() + " says was compared"
                    : "no data-plane client: give the cluster a client-endpoint { name, dns } to connect through the name";
        }
        RedirectState seen = new RedirectState(state.targets(), observations);
        List<Vantage> vantages = new ArrayList<>();
        vantages.add(new Vantage("source of truth", state.targets().describe(), state.targets().onlyAt(master)));
        for (Observation observation : observations) {
            vantages.add(observation.error() != null ? new Vantage(observation.source(), "error: " + observation.error(), false)
                    : new Vantage(observation.source(), observation.targets().describe(), observation.targets().onlyAt(master)));
        }
        String problem = seen.disagreement(master, "the writable master").orElse(null);
        return new PathResult(entry.backendName(), entry.describe(), entry.primary(), vantages, problem, note);
    }

    /** Resolves the client endpoint's name as a client does, connects there and asks which server it is. */
    static Observation throughName(ClusterConfig cluster, ClientEndpoint endpoint, Host master, ServerIdentity identity, Deadline deadline) {
        String source = CLIENT_VIEW + endpoint.name() + ":" + endpoint.port();
        List<String> addresses;
        try {
            addresses = new EndpointResolver(endpoint).resolve().addresses();
        } catch (EndpointResolver.ResolveException | RuntimeException e) {
            return new Observation(source, Targets.NONE, e.getMessage());
        }
        try {
            String masterIs = identity.of(master.address(), master.port(), deadline);
            List<Host> reached = new ArrayList<>();
            List<String> elsewhere = new ArrayList<>();
            for (String address : addresses) {
                String answer = identity.of(address, endpoint.port(), deadline);
                Optional<Host> host = cluster.cluster().hosts().stream().filter(candidate -> candidate.address().equals(address)).findFirst();
                if (answer.equals(masterIs)) {
                    reached.add(master);
                } else {
                    host.ifPresentOrElse(reached::add, () -> elsewhere.add(address + " (" + answer + ")"));
                }
            }
            return new Observation(source, new Targets(reached, elsewhere), null);
        } catch (BackendException e) {
            return new Observation(source, Targets.NONE, e.getMessage());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
