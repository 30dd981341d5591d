package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.ClusterLock;
import io.handover.api.ClusterLock.HeldException;
import io.handover.api.ClusterLock.Lease;
import io.handover.api.Deadline;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The failover lock against a real 3-server Consul. Each backend stands for one handover process
 * (its own HTTP client); each test uses its own key prefix. The TTL is Consul's minimum, 10 s,
 * which Consul enforces only after twice that (measured: a dead holder's lock freed after 19.9 s).
 */
@ExtendWith(SharedConsulCluster.class)
class ConsulLockIT {

    static final String ALICE = "alice@ops1 pid 101: handover switchover main";
    static final String BOB = "bob@ops2 pid 202: handover mha-hook --command=start";

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void useSharedCluster(ConsulTestCluster shared) {
        cluster = shared;
    }

    @Test
    void aSecondOwnerIsRefusedNamingTheHolderAndSinceWhenAndLeavesNoSessionBehind() throws Exception {
        try (BoundRedirect alice = backend("it/held"); BoundRedirect bob = backend("it/held")) {
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            try (Lease lease = lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10)))) {
                Instant after = Instant.now();
                List<String> sessions = sessionIds();

                assertThatThrownBy(() -> lock(bob).acquire(BOB, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(HeldException.class, e -> {
                            assertThat(e.holder()).isEqualTo(ALICE);
                            assertThat(e.since()).isBetween(before, after);
                        })
                        .hasMessageStartingWith("held by " + ALICE + " since " + before.toString().substring(0, 10));
                assertThat(sessionIds()).isSubsetOf(sessions);
                assertThat(cluster.api(0).keys("it/held/")).containsOnlyKeys("it/held/main");
            }
        }
    }

    @Test
    void closeDeletesTheKeyAndTheNextOwnerTakesTheLockAtOnce() throws Exception {
        try (BoundRedirect alice = backend("it/close"); BoundRedirect bob = backend("it/close")) {
            Lease first = lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10)));
            long start = System.nanoTime();
            first.close();
            long closed = System.nanoTime();
            first.close();

            assertThat(cluster.api(0).keys("it/close/")).isEmpty();
            try (Lease second = lock(bob).acquire(BOB, Deadline.after(ofSeconds(2)))) {
                System.out.printf("clean close: close took %d ms; the next owner had the lock %d ms after close began%n",
                        (closed - start) / 1_000_000, (System.nanoTime() - start) / 1_000_000);
                assertThatThrownBy(() -> lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(HeldException.class, e -> assertThat(e.holder()).isEqualTo(BOB));
            }
        }
    }

    @Test
    void aHolderThatDiesWithoutReleasingLosesTheLockOneToTwoTtlsLater() throws Exception {
        try (BoundRedirect alice = backend("it/dead"); BoundRedirect bob = backend("it/dead")) {
            ((ConsulLease) lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10)))).abandon();
            long start = System.nanoTime();

            Lease taken = null;
            while (taken == null && System.nanoTime() - start < ofSeconds(35).toNanos()) {
                try {
                    taken = lock(bob).acquire(BOB, Deadline.after(ofSeconds(5)));
                } catch (HeldException e) {
                    assertThat(e.holder()).isEqualTo(ALICE);
                    Thread.sleep(250);
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("dead holder's lock (ttl 10s) taken over after %d ms%n", millis);
            assertThat(taken).as("taken over within 35 s").isNotNull();
            taken.close();
            assertThat(millis).isBetween(9_000L, 25_000L);
        }
    }

    @Test
    void aLeaseWhoseSessionWasDestroyedKnowsItIsNoLongerHeld() throws Exception {
        try (BoundRedirect alice = backend("it/destroyed");
                ConsulLease lease = (ConsulLease) lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10)))) {
            assertThat(lease.held()).isTrue();

            cluster.api(0).put("session/destroy/" + lease.session(), "");

            long deadline = System.nanoTime() + ofSeconds(15).toNanos();
            while (lease.held() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(lease.held()).as("held() after an operator destroyed the session").isFalse();
        }
    }

    @Test
    void aHeldLockIsRenewedPastTwiceItsTtl() throws Exception {
        try (BoundRedirect alice = backend("it/renewed"); BoundRedirect bob = backend("it/renewed")) {
            try (ConsulLease lease = (ConsulLease) lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10)))) {
                Thread.sleep(ofSeconds(25).toMillis()); // an unrenewed session is gone after 20 s

                assertThatThrownBy(() -> lock(bob).acquire(BOB, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(HeldException.class, e -> assertThat(e.holder()).isEqualTo(ALICE));
                assertThat(ConsulTestApi.MAPPER.readTree(cluster.api(0).get("kv/it/renewed/main?consistent")).path(0).path("Session").asText())
                        .isEqualTo(lease.session());
            }
        }
    }

    /** Such as {@code consul lock}: the key's value is not handover's, so the refusal names the session. */
    @Test
    void aKeyHeldByAForeignSessionIsRefusedNamingThatSession() throws Exception {
        String session = ConsulTestApi.MAPPER.readTree(cluster.api(0).put("session/create", "{\"TTL\": \"10s\"}")).path("ID").asText();
        cluster.api(0).put("kv/it/foreign/main?acquire=" + session, "some other tool");
        try (BoundRedirect bob = backend("it/foreign")) {
            assertThatThrownBy(() -> lock(bob).acquire(BOB, Deadline.after(ofSeconds(10))))
                    .isInstanceOf(HeldException.class)
                    .hasMessage("held by Consul session " + session + " (not a handover value: some other tool)");
        } finally {
            cluster.api(0).put("session/destroy/" + session, "");
        }
    }

    /** A foreign value is anyone's bytes: shown on one line, its control characters escaped, not all of it. */
    @Test
    void aForeignValueIsShownOnOneLineWithItsControlCharactersEscaped() throws Exception {
        String session = ConsulTestApi.MAPPER.readTree(cluster.api(0).put("session/create", "{\"TTL\": \"10s\"}")).path("ID").asText();
        cluster.api(0).put("kv/it/foreign-lines/main?acquire=" + session, "line one\nline two\u001b[31m" + "x".repeat(500));
        try (BoundRedirect bob = backend("it/foreign-lines")) {
            assertThatThrownBy(() -> lock(bob).acquire(BOB, Deadline.after(ofSeconds(10))))
                    .isInstanceOf(HeldException.class)
                    .hasMessageStartingWith("held by Consul session " + session + " (not a handover value: line one\\nline two\\u001b[31mxxx")
                    .hasMessageEndingWith("...)")
                    .hasMessageNotContaining("\n").hasMessageNotContaining("\u001b");
            assertThat(lock(bob).holding(Deadline.after(ofSeconds(10))).orElseThrow().holder().length()).isLessThan(300);
        } finally {
            cluster.api(0).put("session/destroy/" + session, "");
        }
    }

    /** Anyone who may write the key can write a holder in handover's own format too: it is escaped all the same. */
    @Test
    void aHolderInHandoversFormatIsShownWithItsControlCharactersEscaped() throws Exception {
        String session = ConsulTestApi.MAPPER.readTree(cluster.api(0).put("session/create", "{\"TTL\": \"10s\"}")).path("ID").asText();
        cluster.api(0).put("kv/it/forged-holder/main?acquire=" + session,
                "{\"holder\": \"mallory@h pid 1: x\\n12:00:00.000 INFO forged\\u001b[2K\", \"since\": \"2026-11-30T23:00:00Z\"}");
        try (BoundRedirect bob = backend("it/forged-holder")) {
            assertThatThrownBy(() -> lock(bob).acquire(BOB, Deadline.after(ofSeconds(10))))
                    .isInstanceOf(HeldException.class)
                    .hasMessage("held by mallory@h pid 1: x\\n12:00:00.000 INFO forged\\u001b[2K since 2026-11-30T23:00:00Z");
            assertThat(lock(bob).holding(Deadline.after(ofSeconds(10))).orElseThrow().holder())
                    .isEqualTo("mallory@h pid 1: x\\n12:00:00.000 INFO forged\\u001b[2K");
        } finally {
            cluster.api(0).put("session/destroy/" + session, "");
        }
    }

    /**
     * A session that ends otherwise than by its holder's close (an operator, or Consul expiring it)
     * frees the key at once for the next owner: handover creates sessions with {@code LockDelay: 0s},
     * where Consul's default would refuse the key for 15 s more.
     */
    @Test
    void aSessionDestroyedBehindTheHoldersBackFreesTheLockAtOnceWithNoLockDelay() throws Exception {
        try (BoundRedirect alice = backend("it/invalidated"); BoundRedirect bob = backend("it/invalidated")) {
            ConsulLease lease = (ConsulLease) lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10)));
            try {
                cluster.api(0).put("session/destroy/" + lease.session(), "");
                long start = System.nanoTime();

                try (Lease taken = lock(bob).acquire(BOB, Deadline.after(ofSeconds(5)))) {
                    System.out.printf("session invalidated (lock-delay 0s): the next owner had the lock %d ms later%n",
                            (System.nanoTime() - start) / 1_000_000);
                    assertThat(sessionHolding("it/invalidated/main")).isNotEqualTo(lease.session());
                }
            } finally {
                lease.close();
            }
        }
    }

    /**
     * What {@code handover lock} shows and {@code --force} breaks: the holding names its holder, since
     * when and its session; breaking it destroys that session, its holder learns it lost the lock, and
     * the next owner takes it at once. A holding that no longer holds the lock is not broken again.
     */
    @Test
    void aHoldingIsShownAndBrokenByDestroyingItsSessionAndTheNextOwnerTakesTheLockAtOnce() throws Exception {
        try (BoundRedirect alice = backend("it/broken"); BoundRedirect bob = backend("it/broken")) {
            assertThat(lock(bob).holding(Deadline.after(ofSeconds(5)))).isEmpty();
            ConsulLease lease = (ConsulLease) lock(alice).acquire(ALICE, Deadline.after(ofSeconds(10)));
            try {
                ClusterLock.Holding holding = lock(bob).holding(Deadline.after(ofSeconds(5))).orElseThrow();
                assertThat(holding.holder()).isEqualTo(ALICE);
                assertThat(holding.id()).isEqualTo(lease.session());
                assertThat(holding.since()).isNotNull();

                long start = System.nanoTime();
                assertThat(lock(bob).breakHolding(holding, Deadline.after(ofSeconds(5)))).isTrue();
                try (Lease taken = lock(bob).acquire(BOB, Deadline.after(ofSeconds(5)))) {
                    System.out.printf("holding broken (session destroyed): the next owner had the lock %d ms after the break began%n",
                            (System.nanoTime() - start) / 1_000_000);
                    assertThat(sessionIds()).doesNotContain(lease.session());
                    // Alice's holding is gone: breaking it again must not break Bob's
                    assertThat(lock(alice).breakHolding(holding, Deadline.after(ofSeconds(5)))).isFalse();
                    assertThat(lock(alice).holding(Deadline.after(ofSeconds(5))).orElseThrow().holder()).isEqualTo(BOB);
                }
            } finally {
                lease.close();
            }
        }
    }

    /**
     * The holder's destroy never reaches Consul (the proxy stalls it): the key it deleted first is
     * free at once, instead of when the session expires one to two TTLs later. Alice talks to Consul
     * through the proxy, Bob directly.
     */
    @Test
    void aCloseWhoseSessionDestroyHangsStillFreesTheLockAtOnce() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.server(0).httpAddress());
                BoundRedirect alice = backendThrough(proxy, "it/destroy-hangs"); BoundRedirect bob = backend("it/destroy-hangs")) {
            ConsulLease lease = (ConsulLease) lock(alice).acquire(ALICE, Deadline.after(ofSeconds(20)));
            proxy.fault("/v1/session/destroy", FaultProxy.Fault.stall());
            try {
                long start = System.nanoTime();
                CompletableFuture<Long> closed = CompletableFuture.supplyAsync(() -> {
                    lease.close();
                    return (System.nanoTime() - start) / 1_000_000;
                });

                Lease taken = null;
                while (taken == null && System.nanoTime() - start < ofSeconds(8).toNanos()) {
                    try {
                        taken = lock(bob).acquire(BOB, Deadline.after(ofSeconds(2)));
                    } catch (HeldException e) {
                        Thread.sleep(20);
                    }
                }
                long takenMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(taken).as("the next owner took the lock while the destroy hung").isNotNull();
                taken.close();
                System.out.printf("destroy hung: the next owner had the lock %d ms after close began; close gave up after %d ms"
                        + " (without the release first: only when the session expires, 10-20 s with ttl 10s)%n",
                        takenMillis, closed.get());
                assertThat(proxy.count("/v1/session/destroy")).as("destroy attempts that hung").isPositive();
                assertThat(sessionIds()).as("alice's session, left to expire").contains(lease.session());
            } finally {
                cluster.api(0).put("session/destroy/" + lease.session(), "");
            }
        }
    }

    /** Consul stops answering while the lock is held: close() still returns by the deadline given to acquire. */
    @Test
    void closeReturnsByTheAcquiresDeadlineWhenConsulStalls() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.server(0).httpAddress());
                BoundRedirect alice = backendThrough(proxy, "it/close-stalls")) {
            Deadline deadline = Deadline.after(ofSeconds(3));
            ConsulLease lease = (ConsulLease) lock(alice).acquire(ALICE, deadline);
            proxy.fault(FaultProxy.Fault.stall());
            try {
                long left = deadline.remaining().toMillis();
                long start = System.nanoTime();
                lease.close();
                long millis = (System.nanoTime() - start) / 1_000_000;

                System.out.printf("Consul stalled: close returned after %d ms, %d ms were left of the deadline%n", millis, left);
                assertThat(millis).as("close() with %d ms left of the deadline", left).isLessThanOrEqualTo(left + 250);
                assertThat(proxy.count("PUT /v1/txn") + proxy.count("/v1/session/destroy")).as("release attempts").isPositive();
            } finally {
                cluster.api(0).put("session/destroy/" + lease.session(), "");
            }
        }
    }

    /** The key's acquire stalls after the session was created: the failed acquire, cleanup included, ends by its deadline. */
    @Test
    void aFailedAcquireCleansUpByItsDeadline() throws Exception {
        List<String> before = sessionIds();
        try (FaultProxy proxy = FaultProxy.start(cluster.server(0).httpAddress());
                BoundRedirect alice = backendThrough(proxy, "it/acquire-stalls")) {
            proxy.fault("/v1/kv/it/acquire-stalls/main", FaultProxy.Fault.stall()).fault("/v1/session/destroy", FaultProxy.Fault.stall());
            long start = System.nanoTime();

            assertThatThrownBy(() -> lock(alice).acquire(ALICE, Deadline.after(ofSeconds(2))))
                    .isInstanceOf(io.handover.api.BackendException.class)
                    .hasMessageStartingWith("taking the failover lock of cluster main (Consul key it/acquire-stalls/main)"
                            + " did not succeed by the deadline");

            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("key acquire stalled: acquire failed, cleanup included, after %d ms of a 2000 ms deadline%n", millis);
            assertThat(millis).isLessThanOrEqualTo(2_250);
            assertThat(proxy.count("PUT /v1/session/create")).isEqualTo(1);
        } finally {
            for (String session : sessionIds()) {
                if (!before.contains(session)) {
                    cluster.api(0).put("session/destroy/" + session, "");
                }
            }
        }
    }

    static ClusterLock lock(BoundRedirect backend) {
        return backend.lock().orElseThrow();
    }

    private static BoundRedirect backend(String prefix) {
        return TestBackends.create(cluster.backendConfig("lock { prefix = \"" + prefix + "\", ttl = 10s }"), "lock-master");
    }

    /** A backend that reaches Consul only through {@code proxy}. */
    private static BoundRedirect backendThrough(FaultProxy proxy, String prefix) {
        return TestBackends.create("handover.backends.consul {\n  addresses = [\"" + proxy.address() + "\"]\n  dns = [\""
                + cluster.server(0).dnsEndpoint() + "\"]\n  lock { prefix = \"" + prefix + "\", ttl = 10s }\n}\n", "lock-master");
    }

    private static String sessionHolding(String key) throws Exception {
        return ConsulTestApi.MAPPER.readTree(cluster.api(0).get("kv/" + key + "?consistent")).path(0).path("Session").asText();
    }

    private static List<String> sessionIds() throws Exception {
        return ConsulTestApi.MAPPER.readTree(cluster.api(0).get("session/list")).findValuesAsText("ID");
    }
}
