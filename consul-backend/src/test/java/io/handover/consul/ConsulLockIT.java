package io.handover.consul;

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
            first.close();
            first.close();

            assertThat(cluster.api(0).keys("it/close/")).isEmpty();
            try (Lease second = lock(bob).acquire(BOB, Deadline.after(ofSeconds(2)))) {
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
                assertThat(Json.MAPPER.readTree(cluster.api(0).get("kv/it/renewed/main?consistent")).path(0).path("Session").asText())
                        .isEqualTo(lease.session());
            }
        }
    }

    /** Such as {@code consul lock}: the key's value is not handover's, so the refusal names the session. */
    @Test
    void aKeyHeldByAForeignSessionIsRefusedNamingThatSession() throws Exception {
        String session = Json.MAPPER.readTree(cluster.api(0).put("session/create", "{\"TTL\": \"10s\"}")).path("ID").asText();
        cluster.api(0).put("kv/it/foreign/main?acquire=" + session, "some other tool");
        try (BoundRedirect bob = backend("it/foreign")) {
            assertThatThrownBy(() -> lock(bob).acquire(BOB, Deadline.after(ofSeconds(10))))
                    .isInstanceOf(HeldException.class)
                    .hasMessage("held by Consul session " + session + " (not a handover value: some other tool)");
        } finally {
            cluster.api(0).put("session/destroy/" + session, "");
        }
    }

    static ClusterLock lock(BoundRedirect backend) {
        return backend.lock().orElseThrow();
    }

    private static BoundRedirect backend(String prefix) {
        return TestBackends.create(cluster.backendConfig("lock { prefix = \"" + prefix + "\", ttl = 10s }"), "lock-master");
    }

    private static List<String> sessionIds() throws Exception {
        return Json.MAPPER.readTree(cluster.api(0).get("session/list")).findValuesAsText("ID");
    }
}
