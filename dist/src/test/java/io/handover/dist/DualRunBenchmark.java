package io.handover.dist;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.BackendRegistry;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigLoader;
import io.handover.config.RedirectEntry;
import io.handover.flow.Redirector;
import io.handover.flow.StepReporter;
import io.handover.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a test (dist's test class path has every backend): prints what activate + verify costs the sandbox's dual run (the VIP, then Consul:
 * {@code handover-dual.conf}) against each backend alone. N moves round db1, db2, db3 for each of:
 * the VIP alone, Consul alone, both one after the other (what the Redirector did before it moved
 * backends at the same time: the same steps, backend after backend) and both at once (the Redirector
 * now), the four interleaved. Starts from both backends on db1, unmeasured.
 *
 * <pre>
 * mvn -q -o -pl dist -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -cp dist/target/test-classes:$(cat dist/target/bench.cp) io.handover.dist.DualRunBenchmark 10
 * </pre>
 * with the HANDOVER_SANDBOX_* variables of the lab to use. Leaves both backends on db1.
 */
public final class DualRunBenchmark {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** A way to move the cluster's clients to a host. */
    @FunctionalInterface
    private interface Move {
        Redirector.Outcome to(Host host);
    }

    public static void main(String[] args) throws Exception {
        int moves = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        ClusterConfig dual = new ConfigLoader(BackendRegistry.discover(), Map.of())
                .load(Sandbox.dir().resolve("handover-dual.conf")).cluster("sandbox").orElseThrow();
        RedirectEntry vip = dual.redirects().get(0);
        RedirectEntry consul = dual.redirects().get(1);
        Redirector both = redirector(dual, dual.redirects());
        Redirector vipAlone = redirector(dual, List.of(vip));
        Redirector consulAlone = redirector(dual, List.of(consul));

        Map<String, Move> series = new java.util.LinkedHashMap<>();
        series.put("vip alone", host -> vipAlone.activate(host, Deadline.after(DEADLINE)));
        series.put("consul alone", host -> consulAlone.activate(host, Deadline.after(DEADLINE)));
        series.put("vip + consul, one after the other (before)", host -> {
            Redirector.Outcome first = vipAlone.activate(host, Deadline.after(DEADLINE));
            return first == Redirector.Outcome.OK ? consulAlone.activate(host, Deadline.after(DEADLINE)) : first;
        });
        series.put("vip + consul at the same time (now)", host -> both.activate(host, Deadline.after(DEADLINE)));

        List<Host> hosts = dual.cluster().hosts();
        Map<String, List<Long>> millis = new java.util.LinkedHashMap<>();
        series.keySet().forEach(name -> millis.put(name, new ArrayList<>()));
        System.out.printf("sandbox flavour: %s, load average at start %.1f%n", Sandbox.flavorName(), loadAverage());
        require(both.activate(hosts.get(0), Deadline.after(DEADLINE)), "start on " + hosts.get(0).name());
        // Interleaved, so that the machine's changing load weighs on every series alike. Four series
        // round three hosts: every move sends each backend it moves to a host it is not on.
        int move = 0;
        for (int round = 1; round <= moves; round++) {
            for (Map.Entry<String, Move> entry : series.entrySet()) {
                Host next = hosts.get(++move % hosts.size());
                long start = System.nanoTime();
                require(entry.getValue().to(next), entry.getKey() + " to " + next.name());
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                millis.get(entry.getKey()).add(elapsed);
                System.out.printf("%-45s %2d -> %s: %5d ms%n", entry.getKey(), round, next.name(), elapsed);
            }
        }
        require(both.activate(hosts.get(0), Deadline.after(DEADLINE)), "back to " + hosts.get(0).name());

        System.out.println();
        System.out.printf("activate + verify, %d moves each, load average at end %.1f:%n", moves, loadAverage());
        millis.forEach((name, samples) -> System.out.println(summary(name, samples)));
    }

    private static Redirector redirector(ClusterConfig dual, List<RedirectEntry> redirects) {
        ClusterConfig cluster = new ClusterConfig(dual.cluster(), dual.mysql(), dual.maxReplicaLag(), redirects, dual.deadline(),
                dual.proceedOnSecondaryFailure(), dual.fenceDrainTimeout(), dual.replication(), dual.switchover(),
                dual.clientEndpoint(), dual.probe());
        // Step lines are not wanted here: only the timings are printed.
        return new Redirector(cluster, new StepReporter("benchmark", cluster.name(), null,
                new PrintWriter(new StringWriter()), new PrintWriter(System.err, true)));
    }

    private static void require(Redirector.Outcome outcome, String what) {
        if (outcome != Redirector.Outcome.OK) {
            throw new IllegalStateException(what + " ended " + outcome);
        }
    }

    private static String summary(String name, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format("  %-45s p50 %5d ms   max %5d ms   min %5d ms", name, sorted.get((sorted.size() - 1) / 2),
                sorted.get(sorted.size() - 1), sorted.get(0));
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
