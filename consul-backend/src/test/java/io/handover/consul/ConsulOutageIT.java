package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB1;
import static io.handover.consul.TestBackends.DB2;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Verification;
import io.handover.api.Verification.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consul servers dying under a switch: kill -9 of the leader, and of two servers out of three. */
class ConsulOutageIT {

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void startOwnCluster() throws Exception {
        cluster = ConsulTestCluster.start(ConsulTestSetup.plain("outage"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void restartKilledServers() throws Exception {
        for (ConsulTestServer server : cluster.servers()) {
            if (!server.running()) {
                server.start();
            }
        }
        cluster.awaitLeader(ofSeconds(30));
    }

    @Test
    void killingTheLeaderBeforeASwitchStillConvergesWithinTheDeadlineAndDnsNeverAnswersTwoMasters() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "leader-killed-master")) {
            backend.activate(DB1, Deadline.after(ofSeconds(10)));
            int leader = cluster.leader();
            List<String> survivingDns = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (i != leader) {
                    survivingDns.add(cluster.server(i).dnsEndpoint());
                }
            }
            Verification verification;
            try (DnsWatcher watcher = new DnsWatcher(survivingDns, "leader-killed-master")) {
                cluster.kill(leader);
                long start = System.nanoTime();
                Deadline deadline = Deadline.after(ofSeconds(15));

                backend.activate(DB2, deadline);
                Duration switched = Duration.ofNanos(System.nanoTime() - start);
                verification = backend.verify(DB2, deadline.shorter(ofSeconds(3)));
                watcher.close();

                System.out.printf("leader %s killed: switch done after %d ms%n", cluster.server(leader).name(), switched.toMillis());
                assertThat(switched).isLessThan(ofSeconds(15));
                assertThat(watcher.doubleAnswers()).isEmpty();
            }
            String deadDns = "dns " + cluster.server(leader).dnsEndpoint();
            assertThat(verification.checks()).filteredOn(check -> !check.source().equals(deadDns))
                    .hasSize(3).allMatch(Check::passed, "passed");
            assertThat(verification.checks()).filteredOn(check -> check.source().equals(deadDns))
                    .singleElement().matches(check -> !check.passed(), "failed");
        }
    }

    /**
     * Autopilot removes a killed server ~10 s later, and with it its node and every session of that
     * node: a lock session on the answering server's node (Consul's default) would be gone. The
     * lock's own node keeps it held, renewed through the surviving servers past twice its TTL.
     */
    @Test
    void killingTheLeaderLeavesTheLockHeldAfterItsNodeIsRemovedAndCloseStillFreesIt() throws Exception {
        String config = cluster.backendConfig("  lock { prefix = \"outage/lock\", ttl = 10s }");
        try (BoundRedirect alice = TestBackends.create(config, "lock-outage-master");
                BoundRedirect bob = TestBackends.create(config, "lock-outage-master")) {
            // the deadline of the call that holds the lock, by which close() returns too: past the ~22 s it is held here,
            // else close() has no time left to free it (it had 1 ms, and freed it only when Consul answered that fast)
            ConsulLease lease = (ConsulLease) ConsulLockIT.lock(alice).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(60)));
            int leader = cluster.leader();
            int survivor = (leader + 1) % 3;
            cluster.kill(leader);
            long killed = System.nanoTime();
            awaitNodeRemoved(survivor, cluster.server(leader).name());
            long removed = System.nanoTime();
            Thread.sleep(Math.max(0, 22_000 - (removed - killed) / 1_000_000)); // past 2 TTLs after the kill

            assertThatThrownBy(() -> ConsulLockIT.lock(bob).acquire(ConsulLockIT.BOB, Deadline.after(ofSeconds(10))))
                    .isInstanceOfSatisfying(ClusterLock.HeldException.class, e -> assertThat(e.holder()).isEqualTo(ConsulLockIT.ALICE));
            assertThat(cluster.api(survivor).get("session/info/" + lease.session())).contains("\"Node\":\"handover\"");
            long start = System.nanoTime();
            lease.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("leader %s killed: its node removed after %d ms; close took %d ms%n",
                    cluster.server(leader).name(), (removed - killed) / 1_000_000, closeMillis);
            assertThat(closeMillis).isLessThan(ConsulLock.CLEANUP_TIMEOUT.toMillis() + 1_000);
            ConsulLockIT.lock(bob).acquire(ConsulLockIT.BOB, Deadline.after(ofSeconds(5))).close();
        }
    }

    @Test
    void losingQuorumFailsRetryableWithinTheDeadlineSayingThereIsNoLeader() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "quorum-lost-master")) {
            backend.activate(DB1, Deadline.after(ofSeconds(10)));
            int leader = cluster.leader();
            cluster.kill(leader);
            cluster.kill((leader + 1) % 3);
            long start = System.nanoTime();

            assertThatThrownBy(() -> backend.activate(DB2, Deadline.after(ofSeconds(5))))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.RETRYABLE))
                    .hasMessageStartingWith("activating db2 (198.51.100.12:3306) in consul service quorum-lost-master did not succeed by the deadline")
                    .hasMessageEndingWith(": Consul has no cluster leader (GET /v1/status/leader answered \"\"):"
                            + " the servers are electing one, or too few of them are up to form a quorum");
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("quorum lost: activate failed after %d ms%n", millis);
            assertThat(millis).isBetween(5_000L, 7_000L);
        }
    }

    private static void awaitNodeRemoved(int server, String node) throws Exception {
        long end = System.nanoTime() + ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (cluster.api(server).get("catalog/node/" + node + "?consistent").equals("null")) {
                    return;
                }
            } catch (java.io.IOException e) {
                // no leader yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("autopilot did not remove " + node + " within 30 s");
    }
}
