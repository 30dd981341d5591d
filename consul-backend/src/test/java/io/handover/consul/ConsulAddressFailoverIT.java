package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB1;
import static io.handover.consul.TestBackends.DB2;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Verification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A configured Consul address that refuses connections is skipped for the next one. */
@ExtendWith(SharedConsulCluster.class)
class ConsulAddressFailoverIT {

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void useSharedCluster(ConsulTestCluster shared) {
        cluster = shared;
    }

    @Test
    void aClosedFirstAddressFallsOverToTheNext() throws Exception {
        int closed = FreePorts.allocate(1)[0];
        String config = "handover.backends.consul { addresses = [\"http://127.0.0.1:" + closed + "\", \""
                + cluster.server(1).httpAddress() + "\"], dns = [\"" + cluster.server(1).dnsEndpoint() + "\"] }";
        try (BoundRedirect backend = TestBackends.create(config, "fallover-master")) {
            long start = System.nanoTime();
            backend.activate(DB1, Deadline.after(ofSeconds(10)));
            backend.activate(DB2, Deadline.after(ofSeconds(10)));
            Verification verification = backend.verify(DB2, Deadline.after(ofSeconds(5)));

            assertThat(verification.passed()).as("%s", verification).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
            assertThat(backend.current(Deadline.after(ofSeconds(5))).targets().hosts()).containsExactly(DB2);
        }
    }

    @Test
    void noReachableAddressFailsRetryableByTheDeadline() throws Exception {
        int closed = FreePorts.allocate(1)[0];
        String config = "handover.backends.consul { addresses = [\"http://127.0.0.1:" + closed + "\"], dns = [] }";
        try (BoundRedirect backend = TestBackends.create(config, "unreachable-master")) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> backend.activate(DB1, Deadline.after(ofSeconds(2))))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.RETRYABLE))
                    .hasMessageStartingWith("activating db1 (198.51.100.11:3306) in consul service unreachable-master did not succeed by the deadline")
                    .hasMessageEndingWith("GET /v1/status/leader reached no Consul server: http://127.0.0.1:" + closed
                            + "/: ConnectException: Failed to connect to /127.0.0.1:" + closed);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2_000L, 3_000L);
        }
    }
}
