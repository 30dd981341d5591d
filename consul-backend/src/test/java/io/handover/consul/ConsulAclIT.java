package io.handover.consul;

import static io.handover.consul.TestBackends.DB2;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.FailoverBackend;
import io.handover.api.Verification;
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
        try (FailoverBackend backend = TestBackends.create(cluster.backendConfig(), "anonymous-master")) {
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
        try (FailoverBackend backend = TestBackends.create(cluster.backendConfig("token = \"" + token + "\""), "nodeless-master")) {
            assertPermanentFailure(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))),
                    "PUT /v1/txn on " + server + ": permission denied; the token lacks node:write on \"db2\";"
                            + " grant it: node \"db2\" { policy = \"write\" }");
        }
    }

    @Test
    void aTokenWithoutKeyWriteFailsNamingTheKeyPrefixWhenKvIsEnabled() throws Exception {
        String token = cluster.api(0).createToken("service \"keyless-master\" { policy = \"write\" } node_prefix \"\" { policy = \"write\" }");
        String config = cluster.backendConfig("token = \"" + token + "\"", "kv.enabled = true");
        try (FailoverBackend backend = TestBackends.create(config, "keyless-master")) {
            assertPermanentFailure(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))),
                    "PUT /v1/txn on " + server + ": permission denied; the token lacks key:write on \"mysql/master/main\" and the"
                            + " keys below it; grant it: key_prefix \"mysql/master/main\" { policy = \"write\" }");
        }
    }

    /** A follower forwards the read to the leader and says so: "rpc error making call: ACL not found". */
    @Test
    void aTokenConsulDoesNotKnowFailsAtOnce() {
        String config = cluster.backendConfig("token = \"6d0b7c58-0000-4000-8000-000000000000\"");
        try (FailoverBackend backend = TestBackends.create(config, "unknown-token-master")) {
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
        try (FailoverBackend backend = TestBackends.create(cluster.backendConfig("kv.enabled = true"), redirect,
                Map.of("CONSUL_HTTP_TOKEN", token))) {
            backend.activate(TestBackends.DB1, Deadline.after(ofSeconds(10)));
            backend.activate(DB2, Deadline.after(ofSeconds(10)));
            Verification verification = backend.verify(DB2, Deadline.after(ofSeconds(5)));

            assertThat(verification.passed()).as("%s", verification).isTrue();
            assertThat(cluster.api(0).endpoints("granted-master")).containsExactly("198.51.100.12:3306");
        }
    }

    private static void assertPermanentFailure(ThrowingCallable call, String message) {
        long start = System.nanoTime();
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                .hasMessage(message);
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to fail").isLessThan(1_000);
    }
}
