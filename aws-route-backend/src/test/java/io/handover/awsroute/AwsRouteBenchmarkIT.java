package io.handover.awsroute;

import io.handover.toolkit.contract.BoundRedirect;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Verification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How long a switch takes against moto: activate + verify for 1, 2 and 5 route tables, and the time
 * that N throttled calls add. Not pass/fail, and skipped unless asked for:
 * <pre>mvn -f aws-route-backend/pom.xml verify -Dit.test=AwsRouteBenchmarkIT -Dbenchmark=true</pre>
 * moto answers in a few ms where EC2 takes tens to hundreds: this measures handover's own cost and
 * its backoff, not EC2's latency (docs/AWS.md has the numbers).
 */
@ExtendWith(SharedMoto.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class AwsRouteBenchmarkIT {

    private static final List<Host> HOSTS = List.of(TestBackends.DB1, TestBackends.DB2, TestBackends.DB3);

    @Test
    void activateAndVerify(Moto moto) throws Exception {
        int rounds = Integer.getInteger("benchmark.rounds", 50);
        System.out.printf("%nactivate + verify against moto 5.1.1 on 127.0.0.1, %d switches each (10 warm-up rounds not counted)%n", rounds);
        for (int tables : new int[] {1, 2, 5}) {
            try (MotoVpc vpc = MotoVpc.create(moto.endpoint(), tables, 3);
                    BoundRedirect redirect = TestBackends.create(TestBackends.backendConfig(moto.endpoint()),
                            vpc.redirectKeys(TestBackends.DESTINATION, vpc.routeTables))) {
                List<Long> activate = new ArrayList<>();
                List<Long> verify = new ArrayList<>();
                List<Long> total = new ArrayList<>();
                for (int round = -10; round < rounds; round++) {
                    Host next = HOSTS.get(Math.floorMod(round, HOSTS.size()));
                    long start = System.nanoTime();
                    redirect.activate(next, Deadline.after(Duration.ofSeconds(10)));
                    long activated = System.nanoTime();
                    Verification verification = redirect.verify(next, Deadline.after(Duration.ofSeconds(5)));
                    long verified = System.nanoTime();
                    if (!verification.passed()) {
                        throw new IllegalStateException("round " + round + ": " + verification);
                    }
                    if (round >= 0) {
                        activate.add(activated - start);
                        verify.add(verified - activated);
                        total.add(verified - start);
                    }
                }
                System.out.printf("%d route table%s%n", tables, tables == 1 ? "" : "s");
                print("activate (read, write each, read back)", activate);
                print("verify (each table + the interface)", verify);
                print("activate + verify", total);
            }
        }
    }

    @Test
    void timeLostToThrottling(Moto moto) throws Exception {
        int rounds = Integer.getInteger("benchmark.throttled-rounds", 8);
        System.out.printf("%nactivate + verify, 2 route tables, through a proxy that answers the first N calls RequestLimitExceeded,"
                + " %d switches each%n", rounds);
        Long baseline = null;
        try (MotoVpc vpc = MotoVpc.create(moto.endpoint(), 2, 3); Ec2Proxy proxy = new Ec2Proxy(moto.endpoint());
                BoundRedirect redirect = TestBackends.create(TestBackends.backendConfig(proxy.endpoint()),
                        vpc.redirectKeys(TestBackends.DESTINATION, vpc.routeTables))) {
            for (int throttled : new int[] {0, 1, 2, 3, 5, 8}) {
                List<Long> total = new ArrayList<>();
                for (int round = -2; round < rounds; round++) {
                    Host next = HOSTS.get(Math.floorMod(round, HOSTS.size()));
                    proxy.throttleNext(throttled);
                    long start = System.nanoTime();
                    redirect.activate(next, Deadline.after(Duration.ofSeconds(60)));
                    Verification verification = redirect.verify(next, Deadline.after(Duration.ofSeconds(10)));
                    if (!verification.passed()) {
                        throw new IllegalStateException(throttled + " throttled, round " + round + ": " + verification);
                    }
                    if (round >= 0) {
                        total.add(System.nanoTime() - start);
                    }
                }
                Collections.sort(total);
                long p50 = total.get((total.size() - 1) / 2);
                baseline = baseline == null ? p50 : baseline;
                System.out.printf("  %2d throttled calls   p50 %7.1f ms   max %7.1f ms   lost (p50 - p50 without) %7.1f ms%n", throttled,
                        p50 / 1e6, total.get(total.size() - 1) / 1e6, (p50 - baseline) / 1e6);
            }
        }
    }

    private static void print(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("  %-40s p50 %6.1f ms   p99 %6.1f ms   max %6.1f ms%n", what,
                percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1)) / 1e6;
    }
}
