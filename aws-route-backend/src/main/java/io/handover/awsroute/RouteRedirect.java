package io.handover.awsroute;

import io.handover.api.BackendException;
import io.handover.api.Cluster;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.RedirectState.Observation;
import io.handover.api.Targets;
import io.handover.api.Verification;
import io.handover.toolkit.CheckPoller;
import io.handover.toolkit.CheckPoller.Outcome;
import io.handover.toolkit.CheckPoller.Probe;
import io.handover.toolkit.ReadBack;
import io.handover.toolkit.RetryLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * Sends a cluster's clients to its master by routing an overlay address (outside the VPC's CIDR)
 * to the master's network interface in every route table of the clients' subnets, as ClusterLabs'
 * aws-vpc-move-ip does. Every operation reads the tables first and writes only those that differ,
 * which makes it idempotent and lets a retry after an ambiguous write find it applied.
 */
final class RouteRedirect implements Redirect {

    private static final Logger log = LoggerFactory.getLogger(RouteRedirect.class);
    /** Between two DescribeRouteTables of one table while verifying: EC2 is eventually consistent, and rate-limited. */
    static final Duration VERIFY_INTERVAL = Duration.ofMillis(200);
    private static final String READ_BACK_HINT = "another writer, or EC2's eventual consistency: a read right after a write may"
            + " still show the old route";
    /** Less time than this left: a verification does not ask again, it reports the last answer. */
    static final Duration SHORTEST_CALL = Duration.ofMillis(50);
    static final String SOURCE_DEST_CHECK_ON = "source/destination check is on: routed packets are dropped";

    private final Ec2Api ec2;
    private final AwsRouteConfig config;
    private final RouteEntry entry;
    private final Cluster cluster;

    RouteRedirect(Ec2Api ec2, AwsRouteConfig config, RouteEntry entry, Cluster cluster) {
        this.ec2 = ec2;
        this.config = config;
        this.entry = entry;
        this.cluster = cluster;
    }

    @Override
    public String describe() {
        return "aws route " + entry.destination();
    }

    /** The overlay address clients connect to, when the route is to one address (a /32). */
    @Override
    public Optional<String> clientAddress() {
        String destination = entry.destination().toString();
        return entry.destination().prefix() == 32 ? Optional.of(destination.substring(0, destination.indexOf('/'))) : Optional.empty();
    }

    @Override
    public RedirectState current(Deadline deadline) throws BackendException {
        Map<String, RouteTable> tables = RetryLoop.run("reading " + describe(), deadline, new Ec2Backoff(), attempt -> ec2.routeTables(entry.routeTables(), deadline));
        List<Observation> observations = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        for (String id : entry.routeTables()) {
            RouteTable table = tables.get(id);
            if (table == null) {
                observations.add(new Observation(source(id), Targets.NONE, notListed()));
                continue;
            }
            Optional<Route> route = RouteTables.route(table, entry.destination());
            route.map(RouteTables::target).ifPresent(targets::add);
            observations.add(new Observation(source(id), route.map(r -> targets(List.of(RouteTables.target(r)))).orElse(Targets.NONE), null));
        }
        observations.addAll(preflight(deadline));
        // one target per distinct destination, not per table: two tables that agree send clients to one host
        return new RedirectState(targets(List.copyOf(targets)), observations);
    }

    /**
     * What would make a failover to any host fail although the routes are right: an interface that
     * does not exist, or whose source/destination check drops packets addressed to the overlay
     * address. Only problems are observations: a healthy interface is no vantage point of its own.
     */
    private List<Observation> preflight(Deadline deadline) {
        List<Observation> problems = new ArrayList<>();
        Map<String, NetworkInterface> found;
        try {
            found = RetryLoop.run("reading the network interfaces of " + describe(), deadline, new Ec2Backoff(),
                    attempt -> ec2.interfaces(entry.interfaces().values(), deadline));
        } catch (BackendException e) {
            problems.add(new Observation("network interfaces", Targets.NONE, "cannot check them: " + e.getMessage()));
            return problems;
        }
        for (Map.Entry<Host, String> value : entry.interfaces().entrySet()) {
            NetworkInterface eni = found.get(value.getValue());
            String source = "network interface " + entry.name(value.getValue());
            if (eni == null) {
                problems.add(new Observation(source, Targets.NONE, notListed()));
            } else if (!Boolean.FALSE.equals(eni.sourceDestCheck())) {
                problems.add(new Observation(source, Targets.NONE, SOURCE_DEST_CHECK_ON));
            }
        }
        return problems;
    }

    @Override
    public String release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
        // the route tables are the same whether the old master answers or not
        String eni = interfaceOf(oldMaster);
        RetryLoop.run("releasing " + oldMaster.name() + " from " + describe(), deadline, new Ec2Backoff(), attempt -> {
            Map<String, RouteTable> tables = existingTables(deadline);
            List<String> stale = tables.values().stream()
                    .filter(table -> RouteTables.route(table, entry.destination()).filter(route -> eni.equals(route.networkInterfaceId())).isPresent())
                    .map(RouteTable::routeTableId).toList();
            if (stale.isEmpty()) {
                log.debug("{}: no table routes to {}", describe(), entry.name(eni));
                return null;
            }
            ReadBack.apply(describe(), () -> {
                for (String table : stale) {
                    ec2.deleteRoute(table, entry.destination(), "deleting the route for " + entry.destination() + " to "
                            + entry.name(eni) + " from route table " + table, deadline);
                }
            }, () -> {
                List<String> left = new ArrayList<>();
                for (RouteTable table : ec2.routeTables(stale, deadline).values()) {
                    RouteTables.route(table, entry.destination()).filter(route -> eni.equals(route.networkInterfaceId()))
                            .ifPresent(route -> left.add(table.routeTableId()));
                }
                return left.isEmpty() ? null : "route table " + String.join(", ", left) + " still routes " + entry.destination()
                        + " to " + entry.name(eni);
            }, READ_BACK_HINT);
            log.debug("{}: deleted the route to {} from {}", describe(), entry.name(eni), stale);
            return null;
        });
        return "";
    }

    @Override
    public String activate(Host newMaster, Deadline deadline) throws BackendException {
        String eni = interfaceOf(newMaster);
        return RetryLoop.run("activating " + newMaster.name() + " in " + describe(), deadline, new Ec2Backoff(), attempt -> {
            Map<String, RouteTable> tables = existingTables(deadline);
            Map<String, Boolean> stale = new LinkedHashMap<>(); // table -> whether it has a route to replace
            java.util.Set<String> replaced = new java.util.LinkedHashSet<>(); // where the replaced routes pointed
            for (RouteTable table : tables.values()) {
                Optional<Route> route = RouteTables.route(table, entry.destination());
                if (route.filter(r -> RouteTables.pointsAt(r, eni)).isEmpty()) {
                    stale.put(table.routeTableId(), route.isPresent());
                    route.map(Route::networkInterfaceId).map(entry::name).ifPresent(replaced::add);
                }
            }
            if (stale.isEmpty()) {
                log.debug("{}: every table already routes to {}", describe(), entry.name(eni));
                return "";
            }
            ReadBack.apply(describe(), () -> {
                for (Map.Entry<String, Boolean> table : stale.entrySet()) {
                    point(table.getKey(), table.getValue(), eni, deadline);
                }
            }, () -> {
                List<String> wrong = new ArrayList<>();
                for (RouteTable table : ec2.routeTables(stale.keySet(), deadline).values()) {
                    Optional<Route> route = RouteTables.route(table, entry.destination());
                    if (route.filter(r -> RouteTables.pointsAt(r, eni)).isEmpty()) {
                        wrong.add("route table " + table.routeTableId() + " " + RouteTables.describe(route, entry.destination(), entry));
                    }
                }
                return wrong.isEmpty() ? null : String.join(", ", wrong);
            }, READ_BACK_HINT);
            log.debug("{}: {} now route to {}", describe(), stale.keySet(), entry.name(eni));
            return replaced.isEmpty() ? "" : "replaced routes to " + String.join(", ", replaced);
        });
    }

    /** Replaces the route, or creates it: whichever the table needs, even if another writer changed it since it was read. */
    private void point(String table, boolean hasRoute, String eni, Deadline deadline) throws BackendException {
        String subject = "pointing " + entry.destination() + " in route table " + table + " at " + entry.name(eni);
        if (hasRoute) {
            if (!ec2.replaceRoute(table, entry.destination(), eni, subject, deadline)) {
                ec2.createRoute(table, entry.destination(), eni, subject, deadline);
            }
        } else if (!ec2.createRoute(table, entry.destination(), eni, subject, deadline)) {
            ec2.replaceRoute(table, entry.destination(), eni, subject, deadline);
        }
    }

    @Override
    public Verification verify(Host newMaster, Deadline deadline) throws BackendException {
        String eni = interfaceOf(newMaster);
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String id : entry.routeTables()) {
            probes.put(source(id), lastWord(callDeadline -> {
                RouteTable table = ec2.routeTables(List.of(id), callDeadline).get(id);
                if (table == null) {
                    return Outcome.of(false, notListed());
                }
                Optional<Route> route = RouteTables.route(table, entry.destination());
                return Outcome.of(route.filter(r -> RouteTables.pointsAt(r, eni)).isPresent(),
                        RouteTables.describe(route, entry.destination(), entry));
            }));
        }
        // routes to an interface that drops the packets would pass every table's check
        probes.put("network interface " + entry.name(eni), lastWord(callDeadline -> {
            NetworkInterface found = ec2.interfaces(List.of(eni), callDeadline).get(eni);
            if (found == null) {
                return Outcome.of(false, notListed());
            }
            boolean off = Boolean.FALSE.equals(found.sourceDestCheck());
            return Outcome.of(off, off ? "source/destination check is off" : SOURCE_DEST_CHECK_ON);
        }));
        return CheckPoller.poll("verifying " + newMaster.name() + " in " + describe(), probes, VERIFY_INTERVAL, deadline);
    }

    /** One EC2 read of a verification: an answer, or a failure that is the answer. */
    @FunctionalInterface
    private interface Read {
        Outcome ask(Deadline deadline) throws BackendException;
    }

    /**
     * A probe that reports what EC2 said last: a call with almost no time left could only time out,
     * and "no answer in time" would hide the answer that matters (which interface the table shows).
     */
    private static Probe lastWord(Read read) {
        Outcome[] last = {null};
        return callDeadline -> {
            if (last[0] != null && callDeadline.remaining().compareTo(SHORTEST_CALL) < 0) {
                return last[0];
            }
            try {
                last[0] = read.ask(callDeadline);
            } catch (BackendException e) {
                if (last[0] == null || !e.getMessage().contains("in time")) {
                    last[0] = Outcome.of(false, e.getMessage());
                }
            }
            return last[0];
        };
    }

    /** Every configured table, or a PERMANENT error naming the missing ones: nothing is written then. */
    private Map<String, RouteTable> existingTables(Deadline deadline) throws BackendException {
        Map<String, RouteTable> tables = ec2.routeTables(entry.routeTables(), deadline);
        List<String> missing = entry.routeTables().stream().filter(id -> !tables.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw BackendException.permanent(String.join("; ", missing.stream().map(id -> source(id) + " " + notListed()).toList()) + "; nothing was changed");
        }
        return tables;
    }

    /** A route table or interface that DescribeRouteTables / DescribeNetworkInterfaces does not list. */
    private String notListed() {
        return "does not exist (" + config.where() + " does not list it)";
    }

    private String interfaceOf(Host host) throws BackendException {
        return entry.interfaceOf(host).orElseThrow(() -> BackendException.permanent(host + " is no host of cluster " + cluster.name()
                + " with a network interface in " + describe()));
    }

    private Targets targets(List<String> raw) {
        return Targets.map(raw, entry::hostOf);
    }

    private static String source(String routeTable) {
        return "route table " + routeTable;
    }
}
