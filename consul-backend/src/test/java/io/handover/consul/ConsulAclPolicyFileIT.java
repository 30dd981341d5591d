package io.handover.consul;

import static io.handover.consul.TestBackends.DB1;
import static io.handover.consul.TestBackends.DB2;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import io.handover.api.Reachability;
import io.handover.api.Verification;
import io.handover.toolkit.contract.BoundRedirect;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy file docs/OPERATIONS.md hands out, unedited, on a Consul with ACLs and
 * {@code default_policy = "deny"}: a token of exactly that policy does what MHA's calls do, in
 * their order (register, status, stop, start), each under the failover lock as the hooks take it,
 * with the KV copy on.
 */
class ConsulAclPolicyFileIT {

    static final Path POLICY = Path.of("..", "docs", "consul-acl-policy.hcl");

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void startClusterWithAcls() throws Exception {
        cluster = ConsulTestCluster.start(ConsulTestSetup.withAcl("acl-policy"));
        cluster.api(0).allowAnonymousReads();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aTokenOfExactlyTheDocumentedPolicyRunsEveryHookCall() throws Exception {
        String token = cluster.api(0).createToken(Files.readString(POLICY));
        String config = cluster.backendConfig("token = \"" + token + "\"", "kv.enabled = true");
        try (BoundRedirect backend = TestBackends.create(config, "main-master")) {
            ClusterLock lock = backend.lock().orElseThrow();
            // register: the current master
            try (ClusterLock.Lease lease = lock.acquire("register", Deadline.after(ofSeconds(10)))) {
                backend.activate(DB1, Deadline.after(ofSeconds(10)));
                assertThat(backend.verify(DB1, Deadline.after(ofSeconds(10))).passed()).isTrue();
            }
            // mha-hook --command=status: reads only
            assertThat(backend.current(Deadline.after(ofSeconds(10))).disagreement(DB1, "the orig master")).isEmpty();
            // --command=stop
            try (ClusterLock.Lease lease = lock.acquire("mha-hook stop", Deadline.after(ofSeconds(10)))) {
                backend.release(DB1, Reachability.UNREACHABLE, Deadline.after(ofSeconds(10)));
            }
            // --command=start
            try (ClusterLock.Lease lease = lock.acquire("mha-hook start", Deadline.after(ofSeconds(10)))) {
                backend.activate(DB2, Deadline.after(ofSeconds(10)));
                Verification verification = backend.verify(DB2, Deadline.after(ofSeconds(10)));
                assertThat(verification.passed()).as("%s", verification).isTrue();
            }
        }
        assertThat(cluster.api(0).endpoints("main-master")).containsExactly("198.51.100.12:3306");
        assertThat(cluster.api(0).get("kv/mysql/master/main?raw")).contains("198.51.100.12");
    }
}
