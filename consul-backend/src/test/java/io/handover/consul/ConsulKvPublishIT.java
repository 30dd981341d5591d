package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB2;
import static io.handover.consul.TestBackends.DB3;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.handover.api.Deadline;
import io.handover.api.Verification;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The master published in orchestrator's KV layout, in the same transaction as the service. */
@ExtendWith(SharedConsulCluster.class)
class ConsulKvPublishIT {

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void useSharedCluster(ConsulTestCluster shared) {
        cluster = shared;
    }

    @Test
    void activatePublishesOrchestratorsKeysForTheNewMaster() throws Exception {
        String config = cluster.backendConfig("kv { enabled = true, prefix = \"kv-it/mysql/master\" }");
        try (BoundRedirect backend = TestBackends.create(config, "kv-master")) {
            backend.activate(DB2, Deadline.after(ofSeconds(10)));
            assertThat(cluster.api(0).keys("kv-it/mysql/master/main")).containsExactly(
                    entry("kv-it/mysql/master/main", "198.51.100.12:3306"),
                    entry("kv-it/mysql/master/main/hostname", "198.51.100.12"),
                    entry("kv-it/mysql/master/main/ipv4", "198.51.100.12"),
                    entry("kv-it/mysql/master/main/ipv6", ""),
                    entry("kv-it/mysql/master/main/port", "3306"));

            backend.activate(DB3, Deadline.after(ofSeconds(10)));
            Verification verification = backend.verify(DB3, Deadline.after(ofSeconds(5)));

            assertThat(cluster.api(0).keys("kv-it/mysql/master/main")).contains(
                    entry("kv-it/mysql/master/main", "198.51.100.13:3307"),
                    entry("kv-it/mysql/master/main/port", "3307"));
            assertThat(verification.passed()).as("%s", verification).isTrue();
            assertThat(verification.checks().get(1).source()).isEqualTo("kv kv-it/mysql/master/main");
        }
    }

    @Test
    void kvNameNamesTheClusterInsteadOfItsConfiguredName() throws Exception {
        String config = cluster.backendConfig("kv.enabled = true");
        try (BoundRedirect backend = TestBackends.create(config, "{ backend = consul, service = orders-master, kv-name = orders }", Map.of())) {
            backend.activate(DB2, Deadline.after(ofSeconds(10)));

            assertThat(cluster.api(0).keys("mysql/master/orders")).containsEntry("mysql/master/orders", "198.51.100.12:3306").hasSize(5);
        }
    }

    @Test
    void activateRepublishesKeysThatSomeoneChanged() throws Exception {
        String config = cluster.backendConfig("kv { enabled = true, prefix = \"kv-it/changed\" }");
        try (BoundRedirect backend = TestBackends.create(config, "changed-master")) {
            backend.activate(DB2, Deadline.after(ofSeconds(10)));
            cluster.api(0).put("kv/kv-it/changed/main", "198.51.100.99:3306");

            backend.activate(DB2, Deadline.after(ofSeconds(10)));

            assertThat(cluster.api(0).keys("kv-it/changed/main")).containsEntry("kv-it/changed/main", "198.51.100.12:3306");
        }
    }
}
