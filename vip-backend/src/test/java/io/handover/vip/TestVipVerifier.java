package io.handover.vip;

import static io.handover.vip.ConfigFixture.DB2;
import static io.handover.vip.ConfigFixture.MAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.RedirectState.Observation;
import io.handover.api.ServerIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class TestVipVerifier {

    private static final Map<String, String> SERVERS = Map.of("198.51.100.50", "server_id 2", "198.51.100.11", "server_id 1",
            "198.51.100.12", "server_id 2", "198.51.100.13", "server_id 3");

    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final ServerIdentity identity = (address, port, deadline) -> {
        if (silent.contains(address)) {
            throw BackendException.retryable("cannot ask " + address + ":" + port + " which MySQL server it is: only 0 ms left", null);
        }
        return SERVERS.get(address);
    };

    @Test
    void aServerWhoseHostWasNotAskedInTimeIsNotCalledNoHostOfTheCluster() {
        silent.add(DB2.address());
        try (Parallel parallel = new Parallel()) {
            Observation seen = verifier(parallel).observeThroughVip(3306, Deadline.after(Duration.ofSeconds(5)));

            assertThat(seen.targets().unmapped()).isEmpty();
            assertThat(seen.error()).isEqualTo("198.51.100.50:3306 answers as server_id 2, but which host that is is unknown: db2 was not"
                    + " asked in time (cannot ask 198.51.100.12:3306 which MySQL server it is: only 0 ms left)");
        } catch (BackendException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHostThatAnsweredBeforeIsKnownByItsLastIdentity() throws BackendException {
        try (Parallel parallel = new Parallel()) {
            VipVerifier verifier = verifier(parallel);
            assertThat(verifier.observeThroughVip(3306, Deadline.after(Duration.ofSeconds(5))).targets().hosts()).containsExactly(DB2);
            silent.add(DB2.address());

            Observation seen = verifier.observeThroughVip(3306, Deadline.after(Duration.ofSeconds(5)));

            assertThat(seen.error()).isNull();
            assertThat(seen.targets().hosts()).containsExactly(DB2);
        }
    }

    private VipVerifier verifier(Parallel parallel) {
        return new VipVerifier(null, parallel, identity, new VipEntry(new VipAddress("198.51.100.50", 24), "eth0", Map.of()), MAIN);
    }
}
