package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB1;
import static io.handover.consul.TestBackends.DB2;
import static io.handover.consul.TestBackends.DB3;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.ClusterLock.Lease;
import io.handover.api.Deadline;
import io.handover.api.Reachability;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Switches written under the failover lock: a holder that lost the lock must not write. Alice
 * reaches Consul through a {@link FaultProxy} that stalls her session renewals, as when her
 * requests stall past the session's TTL; Bob talks to Consul directly. Each test has its own lock
 * prefix and service.
 */
@ExtendWith(SharedConsulCluster.class)
class ConsulLockedSwitchIT {

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void useSharedCluster(ConsulTestCluster shared) {
        cluster = shared;
    }

    @Test
    void aSwitchUnderAHeldLockIsWrittenAndVerifiedAndWorksWithoutItAfterClose() throws Exception {
        try (BoundRedirect alice = backend(cluster.server(0).httpAddress(), "it/locked-ok", "locked-ok-master", true)) {
            try (Lease lease = ConsulLockIT.lock(alice).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10)))) {
                alice.activate(DB1, Deadline.after(ofSeconds(10)));
                alice.release(DB1, Deadline.after(ofSeconds(10)));
                alice.activate(DB2, Deadline.after(ofSeconds(10)));
                assertThat(alice.verify(DB2, Deadline.after(ofSeconds(5))).passed()).isTrue();
            }
            alice.activate(DB3, Deadline.after(ofSeconds(10)));

            assertThat(cluster.api(0).endpoints("locked-ok-master?consistent")).containsExactly(DB3.endpoint());
            assertThat(cluster.api(0).keys("mysql/master/main")).containsEntry("mysql/master/main", DB3.endpoint());
        }
    }

    /**
     * The case: Alice's session ends while she does not know it (her renewals stall), Bob
     * takes the lock and publishes his master. Alice's switch reaches Consul, which refuses it as a
     * whole: her session no longer holds the lock key.
     */
    @Test
    void aHolderWhoseSessionEndedBehindItsBackCannotOverwriteTheNextHoldersMaster() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.server(0).httpAddress());
                BoundRedirect alice = backend(proxy.address(), "it/lost", "lost-lock-master", false);
                BoundRedirect bob = backend(cluster.server(1).httpAddress(), "it/lost", "lost-lock-master", false)) {
            ConsulLease lease = (ConsulLease) ConsulLockIT.lock(alice).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10)));
            try {
                alice.activate(DB1, Deadline.after(ofSeconds(10)));
                proxy.fault("/v1/session/renew", FaultProxy.Fault.stall());
                cluster.api(0).put("session/destroy/" + lease.session(), "");
                try (Lease bobs = ConsulLockIT.lock(bob).acquire(ConsulLockIT.BOB, Deadline.after(ofSeconds(5)))) {
                    bob.activate(DB3, Deadline.after(ofSeconds(10)));
                    assertThat(lease.held()).as("alice's lease cannot know yet: her renewals stall").isTrue();

                    // Bob holds the key now
                    assertThatThrownBy(() -> alice.activate(DB2, Deadline.after(ofSeconds(10))))
                            .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                            .hasMessageStartingWith("PUT /v1/txn on " + proxy.address() + "/: Consul refused the write because the failover"
                                    + " lock of cluster main (Consul key it/lost/main) is no longer held by this handover's session "
                                    + lease.session() + " (")
                            .hasMessageEndingWith("): the session expired or was destroyed, and another handover may be changing the"
                                    + " master; nothing was changed");
                }
                // Bob is done, the key is gone
                assertThatThrownBy(() -> alice.release(DB3, Reachability.UNREACHABLE, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                        .hasMessageContaining("is no longer held by this handover's session " + lease.session());
                assertThatThrownBy(() -> alice.activate(DB2, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                        .hasMessageContaining("is no longer held by this handover's session " + lease.session());

                assertThat(cluster.api(0).endpoints("lost-lock-master?consistent")).containsExactly(DB3.endpoint());
                assertThat(proxy.count("PUT /v1/txn")).as("alice's writes that reached Consul, one per call: never retried").isEqualTo(4);
            } finally {
                lease.close();
            }
        }
    }

    /**
     * Alice's renewals have stalled for a whole TTL: Consul may still keep her session (it waits up
     * to two TTLs), so its check would pass, but she can no longer be sure she holds the lock, and
     * writes nothing.
     */
    @Test
    void aHolderThatCannotBeSureItStillHoldsTheLockWritesNothing() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.server(0).httpAddress());
                BoundRedirect alice = backend(proxy.address(), "it/unsure", "unsure-lock-master", false)) {
            ConsulLease lease = (ConsulLease) ConsulLockIT.lock(alice).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10)));
            try {
                alice.activate(DB1, Deadline.after(ofSeconds(10)));
                proxy.fault("/v1/session/renew", FaultProxy.Fault.stall());
                long end = System.nanoTime() + ofSeconds(15).toNanos();
                while (lease.held() && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                assertThat(lease.held()).as("held() a TTL after the last renewal").isFalse();
                long txnsBefore = proxy.count("PUT /v1/txn");

                assertThatThrownBy(() -> alice.activate(DB2, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                        .hasMessage("consul service unsure-lock-master: the failover lock of cluster main (Consul key it/unsure/main) may be"
                                + " lost: its session " + lease.session() + " could not be renewed for a whole TTL, or Consul no longer"
                                + " knows it, and another handover may be changing the master; nothing was changed");

                assertThat(proxy.count("PUT /v1/txn")).as("writes sent").isEqualTo(txnsBefore);
                assertThat(cluster.api(0).endpoints("unsure-lock-master?consistent")).containsExactly(DB1.endpoint());
            } finally {
                lease.close();
            }
        }
    }

    private static BoundRedirect backend(String address, String lockPrefix, String service, boolean kv) {
        return TestBackends.create("handover.backends.consul {\n  addresses = [\"" + address + "\"]\n  dns = [\""
                + cluster.server(0).dnsEndpoint() + "\"]\n  lock { prefix = \"" + lockPrefix + "\", ttl = 10s }\n"
                + (kv ? "  kv.enabled = true\n" : "") + "}\n", service);
    }
}
