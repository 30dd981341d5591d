package io.handover.cli;

import io.handover.api.Cluster;
import io.handover.config.BackendRegistry;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigLoader;
import io.handover.config.HandoverConfig;
import io.handover.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: how {@code handover status} grows with the number of clusters. Takes the first
 * cluster of a configuration (the sandbox's by default), copies it under N names (the same servers
 * and redirect in each: a configuration file refuses that, so the copies are made here) and times
 * {@link StatusCommand#reports} over them, each count several times after a warm-up run.
 *
 * <pre>
 * mvn -q -B -pl cli test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -cp cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.cp) io.handover.cli.StatusBenchmark 1 10 50 150
 * </pre>
 * {@code -Dconfig=FILE} for another configuration; {@code -Druns=N} runs per count (default 5).
 */
public final class StatusBenchmark {

    private StatusBenchmark() {}

    public static void main(String[] args) throws Exception {
        String configured = System.getProperty("config");
        Path file = configured != null ? Path.of(configured) : Sandbox.config();
        int runs = Integer.getInteger("runs", 5);
        List<Integer> counts = args.length == 0 ? List.of(1, 10, 50, 150) : Arrays.stream(args).map(Integer::valueOf).toList();
        try (HandoverConfig config = new ConfigLoader(BackendRegistry.discover(), System.getenv()).load(file)) {
            ClusterConfig template = config.clusters().values().iterator().next();
            StatusCommand.reports(copies(template, 1)); // warm-up: class loading, first connections
            System.out.printf("%8s %8s %8s %8s %8s %s%n", "clusters", "min ms", "median", "max ms", "healthy", "(each run)");
            for (int count : counts) {
                List<ClusterConfig> clusters = copies(template, count);
                long[] times = new long[runs];
                long healthy = 0;
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    List<StatusCommand.Report> reports = StatusCommand.reports(clusters);
                    times[run] = (System.nanoTime() - start) / 1_000_000;
                    healthy = reports.stream().filter(report -> report.topology().healthy()).count();
                }
                long[] sorted = times.clone();
                Arrays.sort(sorted);
                System.out.printf("%8d %8d %8d %8d %8s %s%n", count, sorted[0], sorted[runs / 2], sorted[runs - 1],
                        healthy + "/" + count, Arrays.toString(times));
            }
        }
    }

    private static List<ClusterConfig> copies(ClusterConfig template, int count) {
        List<ClusterConfig> clusters = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            clusters.add(new ClusterConfig(new Cluster(template.name() + "-" + i, template.cluster().hosts()), template.mysql(),
                    template.maxReplicaLag(), template.redirects(), template.deadline(), template.proceedOnSecondaryFailure(),
                    template.fenceDrainTimeout(), template.replication(), template.switchover(), template.clientEndpoint(),
                    template.probe()));
        }
        return clusters;
    }
}
