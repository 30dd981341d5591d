package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB2;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Verification;
import io.handover.api.Problem;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consul with ACLs on and {@code default_policy = "deny"}: a token that may not do the switch
 * fails at once, PERMANENT, naming the rule to grant. The anonymous token may read nodes and
 * services, as DNS needs.
 */
class ConsulAclIT {

    private static ConsulTestCluster cluster;
    private static String server;

    @BeforeAll
    static void startClusterWithAcls() throws Exception {
        cluster = ConsulTestCluster.start(ConsulTestSetup.withAcl("acl"));
        cluster.api(0).allowAnonymousReads();
        server = cluster.server(0).httpAddress() + "/";
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void withoutATokenActivateFailsAtOnceNamingEveryRuleItLacks() {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "anonymous-master")) {
            assertPermanentFailure(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))),
                    "PUT /v1/txn on " + server + ": permission denied; the token lacks node:write on \"db2\","
                            + " service:write on \"anonymous-master\"; grant it: node \"db2\" { policy = \"write\" }"
                            + " service \"anonymous-master\" { policy = \"write\" }"
                            + " (no token is configured: set token, token-file or CONSUL_HTTP_TOKEN)");
        }
    }

    @Test
    void aTokenWithServiceWriteButNoNodeWriteFailsNamingNodeWrite() throws Exception {
        String token = cluster.api(0).createToken("service \"nodeless-master\" { policy = \"write\" } node_prefix \"\" { policy = \"read\" }");
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig("token = \"" + token + "\""), "nodeless-master")) {
            assertPermanentFailure(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))),
                    "PUT /v1/txn on " + server + ": permission denied; the token lacks node:write on \"db2\";"
                            + " grant it: node \"db2\" { policy = \"write\" }");
        }
    }

    @Test
    void aTokenWithoutKeyWriteFailsNamingTheKeyPrefixWhenKvIsEnabled() throws Exception {
        String token = cluster.api(0).createToken("service \"keyless-master\" { policy = \"write\" } node_prefix \"\" { policy = \"write\" }");
        String config = cluster.backendConfig("token = \"" + token + "\"", "kv.enabled = true");
        try (BoundRedirect backend = TestBackends.create(config, "keyless-master")) {
            assertPermanentFailure(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))),
                    "PUT /v1/txn on " + server + ": permission denied; the token lacks key:write on \"mysql/master/main\" and the"
                            + " keys below it; grant it: key_prefix \"mysql/master/main\" { policy = \"write\" }");
        }
    }

    /** A follower forwards the read to the leader and says so: "rpc error making call: ACL not found". */
    @Test
    void aTokenConsulDoesNotKnowFailsAtOnce() {
        String config = cluster.backendConfig("token = \"6d0b7c58-0000-4000-8000-000000000000\"");
        try (BoundRedirect backend = TestBackends.create(config, "unknown-token-master")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                    .hasMessageMatching("GET /v1/catalog/service/unknown-token-master on \\Q" + server + "\\E: Consul does not know the"
                            + " configured token \\(403 (rpc error making call: )?ACL not found\\); check token, token-file or CONSUL_HTTP_TOKEN");
            assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to fail").isLessThan(1_000);
        }
    }

    @Test
    void aTokenWithTheDocumentedRulesFromTheEnvironmentSwitchesAndVerifies() throws Exception {
        String token = cluster.api(0).createToken("node_prefix \"db\" { policy = \"write\" } service \"granted-master\" { policy = \"write\" }"
                + " node_prefix \"\" { policy = \"read\" } key_prefix \"mysql/master/main\" { policy = \"write\" }");
        String redirect = "{ backend = consul, service = granted-master }";
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig("kv.enabled = true"), redirect,
                Map.of("CONSUL_HTTP_TOKEN", token))) {
            backend.activate(TestBackends.DB1, Deadline.after(ofSeconds(10)));
            backend.activate(DB2, Deadline.after(ofSeconds(10)));
            Verification verification = backend.verify(DB2, Deadline.after(ofSeconds(5)));

            assertThat(verification.passed()).as("%s", verification).isTrue();
            assertThat(cluster.api(0).endpoints("granted-master")).containsExactly("198.51.100.12:3306");
        }
    }

    @Test
    void aTokenWithoutSessionWriteCannotTakeTheLockAndIsToldTheRuleToGrant() throws Exception {
        String token = cluster.api(0).createToken("node \"handover\" { policy = \"write\" } key_prefix \"handover/lock/\" { policy = \"write\" }");
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig("token = \"" + token + "\""), "sessionless-master")) {
            assertPermissionDenied(() -> ConsulLockIT.lock(backend).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10))),
                    "PUT /v1/session/create", "session:write on \"handover\"; grant it: session \"handover\" { policy = \"write\" }");
        }
    }

    @Test
    void aTokenWithoutKeyWriteCannotTakeTheLockAndLeavesNoSessionBehind() throws Exception {
        String token = cluster.api(0).createToken("node \"handover\" { policy = \"write\" } session \"handover\" { policy = \"write\" }");
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig("token = \"" + token + "\""), "keyless-lock-master")) {
            assertPermissionDenied(() -> ConsulLockIT.lock(backend).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10))),
                    "PUT /v1/kv/handover/lock/main", "key:write on \"handover/lock/main\"; grant it: key \"handover/lock/main\" { policy = \"write\" }");
            assertThat(cluster.api(0).get("session/list")).isEqualTo("[]");
        }
    }

    /** The lock's node is registered on first use; its own name keeps this test independent of the others. */
    @Test
    void aTokenWithoutNodeWriteCannotRegisterTheLocksNodeAndIsToldTheRuleToGrant() throws Exception {
        String token = cluster.api(0).createToken("session \"lock-node\" { policy = \"write\" } key_prefix \"handover/lock/\" { policy = \"write\" }");
        String config = cluster.backendConfig("token = \"" + token + "\"", "lock.node = lock-node");
        try (BoundRedirect backend = TestBackends.create(config, "nodeless-lock-master")) {
            assertPermissionDenied(() -> ConsulLockIT.lock(backend).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10))),
                    "PUT /v1/catalog/register", "node:write on \"lock-node\"; grant it: node \"lock-node\" { policy = \"write\" }");
        }
    }

    @Test
    void theDocumentedLockRulesAreEnoughToHoldRenewAndReleaseTheLock() throws Exception {
        String token = cluster.api(0).createToken("node \"handover\" { policy = \"write\" } session \"handover\" { policy = \"write\" }"
                + " key_prefix \"handover/lock/\" { policy = \"write\" }");
        String config = cluster.backendConfig("token = \"" + token + "\"", "lock.ttl = 10s");
        try (BoundRedirect alice = TestBackends.create(config, "locked-master"); BoundRedirect bob = TestBackends.create(config, "locked-master")) {
            try (ClusterLock.Lease lease = ConsulLockIT.lock(alice).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10)))) {
                Thread.sleep(4_000); // past a third of the TTL: one renewal
                assertThatThrownBy(() -> ConsulLockIT.lock(bob).acquire(ConsulLockIT.BOB, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(ClusterLock.HeldException.class, e -> assertThat(e.holder()).isEqualTo(ConsulLockIT.ALICE));
            }
            ConsulLockIT.lock(bob).acquire(ConsulLockIT.BOB, Deadline.after(ofSeconds(2))).close();
            assertThat(cluster.api(0).get("session/list")).isEqualTo("[]");
        }
    }

    /** A switch under the lock also checks the lock's key (key:read), which the documented key_prefix rule grants. */
    @Test
    void theDocumentedRulesAreEnoughToSwitchUnderTheLock() throws Exception {
        String token = cluster.api(0).createToken("node_prefix \"db\" { policy = \"write\" } service \"under-lock-master\" { policy = \"write\" }"
                + " node_prefix \"\" { policy = \"read\" } node \"handover\" { policy = \"write\" } session \"handover\" { policy = \"write\" }"
                + " key_prefix \"handover/lock/\" { policy = \"write\" }");
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig("token = \"" + token + "\""), "under-lock-master");
                ClusterLock.Lease lease = ConsulLockIT.lock(backend).acquire(ConsulLockIT.ALICE, Deadline.after(ofSeconds(10)))) {
            backend.activate(TestBackends.DB1, Deadline.after(ofSeconds(10)));
            backend.release(TestBackends.DB1, Deadline.after(ofSeconds(10)));
            backend.activate(DB2, Deadline.after(ofSeconds(10)));

            assertThat(cluster.api(0).endpoints("under-lock-master")).containsExactly("198.51.100.12:3306");
        }
    }

    /** What status and MHA's status call ask before a failover: every missing rule at once, and nothing written. */
    @Test
    void readinessNamesEveryRuleAFailoverNeedsAndTheTokenLacksAtOnceChangingNothing() throws Exception {
        String token = cluster.api(0).createToken("node_prefix \"\" { policy = \"read\" } service_prefix \"\" { policy = \"read\" }"
                + " node \"db3\" { policy = \"write\" } key_prefix \"mysql/master/main\" { policy = \"write\" }");
        String config = cluster.backendConfig("token = \"" + token + "\"", "kv.enabled = true");
        try (BoundRedirect backend = TestBackends.create(config, "ready-master")) {
            String indexBefore = cluster.api(0).get("catalog/nodes");

            List<Problem> problems = backend.readiness(Deadline.after(ofSeconds(10)));

            assertThat(problems).containsExactly(new Problem("consul-acl-missing", "the Consul token lacks node:write on \"db1\","
                    + " node:write on \"db2\", service:write on \"ready-master\", which a failover needs; grant it:"
                    + " node \"db1\" { policy = \"write\" } node \"db2\" { policy = \"write\" } service \"ready-master\" { policy = \"write\" }"));
            assertThat(cluster.api(0).get("catalog/nodes")).isEqualTo(indexBefore);
            assertThat(cluster.api(0).endpoints("ready-master")).isEmpty();
        }
    }

    @Test
    void readinessWithTheDocumentedRulesFindsNothingAndTheFailoverThenWorks() throws Exception {
        String token = cluster.api(0).createToken("node_prefix \"db\" { policy = \"write\" } service \"ready-granted-master\" { policy = \"write\" }"
                + " node_prefix \"\" { policy = \"read\" } key_prefix \"mysql/master/main\" { policy = \"write\" }");
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig("token = \"" + token + "\"", "kv.enabled = true"),
                "ready-granted-master")) {
            assertThat(backend.readiness(Deadline.after(ofSeconds(10)))).isEmpty();

            backend.activate(TestBackends.DB1, Deadline.after(ofSeconds(10)));
            assertThat(backend.readiness(Deadline.after(ofSeconds(10)))).isEmpty();
            assertThat(cluster.api(0).endpoints("ready-granted-master")).containsExactly("198.51.100.11:3306");
        }
    }

    /** A master registered by hand (as an agent would register it): no external-node meta on its node. */
    @Test
    void readinessFlagsAMasterRegisteredWithoutExternalNodeMetaAndAHostNamedLikeThatNode() throws Exception {
        String token = cluster.api(0).createToken("node_prefix \"\" { policy = \"write\" } service_prefix \"\" { policy = \"write\" }");
        cluster.api(0).put("catalog/register", "{\"Node\": \"db1\", \"Address\": \"198.51.100.11\","
                + " \"Service\": {\"ID\": \"by-hand-master\", \"Service\": \"by-hand-master\", \"Port\": 3306}}");
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig("token = \"" + token + "\""), "by-hand-master")) {
            List<Problem> problems = backend.readiness(Deadline.after(ofSeconds(10)));

            assertThat(problems).extracting(Problem::code).containsExactly("consul-instance-agent-owned", "consul-node-agent-owned");
            assertThat(problems.get(0).text()).startsWith("instance \"by-hand-master\" (198.51.100.11:3306) is on Consul node"
                    + " \"db1\", whose NodeMeta lacks external-node = \"true\"");
            assertThat(problems.get(1).text()).startsWith("host db1 is named like Consul node \"db1\", whose NodeMeta lacks");
            // what readiness foretold: the failover away from db1 refuses
            assertThatThrownBy(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))))
                    .hasMessageContaining("refusing to delete what a Consul agent registered");
        } finally {
            cluster.api(0).put("catalog/deregister", "{\"Node\": \"db1\"}");
        }
    }

    /** A follower that forwarded the write to the leader prefixes the leader's answer with "rpc error making call: ". */
    private static void assertPermissionDenied(ThrowingCallable call, String request, String needed) {
        long start = System.nanoTime();
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                .hasMessageMatching("\\Q" + request + " on " + server + ": permission denied (403 \\E(rpc error making call: )?"
                        + "\\QPermission denied); the token needs " + needed + "\\E");
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to fail").isLessThan(1_000);
    }

    private static void assertPermanentFailure(ThrowingCallable call, String message) {
        long start = System.nanoTime();
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                .hasMessage(message);
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to fail").isLessThan(1_000);
    }
}
