package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long a master switch takes on a real 3-server cluster: 100 activate + verify rounds across
 * three hosts, verify waiting for the catalog and all three servers' DNS. Not a test (its name
 * matches neither surefire's nor failsafe's patterns); run it from consul-backend/ with
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.handover.consul.ConsulSwitchBenchmark [rounds]</pre>
 * after {@code mvn dependency:build-classpath -Dmdep.outputFile=target/cp.txt}. With a second
 * argument, a handover.conf, it switches a service {@code benchmark-master} on the Consul servers of
 * that file's {@code handover.backends.consul} (the sandbox's) instead of starting a cluster.
 */
public final class ConsulSwitchBenchmark {

    private ConsulSwitchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        List<Host> hosts = List.of(TestBackends.DB1, TestBackends.DB2, TestBackends.DB3);
        List<Long> activate = new ArrayList<>();
        List<Long> verify = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        List<Long> slowestDns = new ArrayList<>();
        String where = args.length > 1 ? "the Consul servers of " + args[1] : "3 servers on 127.0.0.1";
        try (ConsulTestCluster cluster = args.length > 1 ? null : ConsulTestCluster.start(ConsulTestSetup.plain("benchmark"));
                BoundRedirect backend = TestBackends.create(
                        cluster != null ? cluster.backendConfig() : Files.readString(Path.of(args[1])), "benchmark-master")) {
            for (int round = -10; round < rounds; round++) {
                Host next = hosts.get(Math.floorMod(round, hosts.size()));
                long start = System.nanoTime();
                backend.activate(next, Deadline.after(Duration.ofSeconds(10)));
                long activated = System.nanoTime();
                Verification verification = backend.verify(next, Deadline.after(Duration.ofSeconds(5)));
                long verified = System.nanoTime();
                if (!verification.passed()) {
                    throw new IllegalStateException("round " + round + ": " + verification);
                }
                if (round >= 0) {
                    activate.add(activated - start);
                    verify.add(verified - activated);
                    total.add(verified - start);
                    slowestDns.add(verification.checks().stream().filter(c -> c.source().startsWith("dns"))
                            .mapToLong(c -> c.elapsed().toNanos()).max().orElse(0));
                }
            }
        }
        System.out.printf("%d switches (10 warm-up rounds not counted), %s, raft_multiplier=1%n", rounds, where);
        print("activate (read, txn, read back)", activate);
        print("verify (catalog + 3 DNS servers)", verify);
        print("slowest DNS server to agree", slowestDns);
        print("activate + verify", total);
    }

    private static void print(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("  %-34s p50 %6.1f ms   p99 %6.1f ms   max %6.1f ms%n", what,
                percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1)) / 1e6;
    }
}
