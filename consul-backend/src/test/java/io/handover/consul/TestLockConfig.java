package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code handover.backends.consul.lock}; its defaults and full mapping are in {@link TestConsulConfig}. */
class TestLockConfig {

    @TempDir
    Path directory;

    @Test
    void theKeyIsThePrefixAndTheClusterName() {
        assertThat(load("").lock().key("main")).isEqualTo("handover/lock/main");
        assertThat(load("lock.prefix = \"/ops/locks/\"").lock().key("orders")).isEqualTo("ops/locks/orders");
    }

    @Test
    void theTtlIsSentInGoDurationSyntax() {
        assertThat(new LockConfig("p", Duration.ofSeconds(15), "n").consulTtl()).isEqualTo("15s");
        assertThat(new LockConfig("p", Duration.ofMinutes(2), "n").consulTtl()).isEqualTo("120s");
        assertThat(new LockConfig("p", Duration.ofMillis(10_500), "n").consulTtl()).isEqualTo("10500ms");
    }

    @Test
    void consulsTtlLimitsThemselvesAreAccepted() {
        assertThat(problems("lock.ttl = 10s")).isEmpty();
        assertThat(problems("lock.ttl = 86400s")).isEmpty();
        assertThat(problems("lock.ttl = 24h")).isEmpty();
    }

    @Test
    void aTtlOutsideConsulsLimitsIsRefused() {
        assertThat(problems("lock.ttl = 9s")).containsExactly("handover.backends.consul.lock.ttl: must be between 10s and 86400s"
                + " (Consul's limits for a session TTL), got '9s' (handover.conf:3)");
        // the toolkit refuses any duration over 24h before the lock's own check (86400 s is exactly 24h)
        assertThat(problems("lock.ttl = 86401s")).containsExactly("handover.backends.consul.lock.ttl: must be at most 24h, got '86401s':"
                + " no timeout, wait or interval of handover can mean that (handover.conf:3)");
        assertThat(problems("lock.ttl = 0s")).containsExactly(
                "handover.backends.consul.lock.ttl: must be positive, got '0s' (handover.conf:3)");
        assertThat(problems("lock.ttl = soon")).containsExactly("handover.backends.consul.lock.ttl: 'soon' is not a duration"
                + " (use a number and a unit: 500ms, 5s, 1m) (handover.conf:3)");
    }

    @Test
    void aPrefixWithoutAPathIsRefused() {
        assertThat(problems("lock.prefix = \"/\"")).containsExactly(
                "handover.backends.consul.lock.prefix: must name a key path such as handover/lock (handover.conf:3)");
        assertThat(problems("lock.prefix = \"\"")).containsExactly(
                "handover.backends.consul.lock.prefix: must name a key path such as handover/lock (handover.conf:3)");
    }

    @Test
    void aNodeNameConsulCannotUseIsRefused() {
        assertThat(problems("lock.node = \"handover.lock\"")).containsExactly("handover.backends.consul.lock.node: 'handover.lock'"
                + " is not a Consul node name: use letters, digits and dashes, at most 63 (handover.conf:3)");
    }

    @Test
    void aPrefixOfTheWrongTypeIsReportedOnce() {
        assertThat(problems("lock.prefix = [a, b]")).containsExactly(
                "handover.backends.consul.lock.prefix: expected a string, got a list (handover.conf:3)");
    }

    @Test
    void aMisspeltLockKeyIsRefusedWithASuggestion() {
        assertThat(problems("lock { prefix = ops/locks, tll = 20s }")).containsExactly(
                "handover.backends.consul.lock.tll: unknown key 'tll' (did you mean 'ttl'?) (handover.conf:3)");
    }

    private ConsulConfig load(String backendKeys) {
        ConfigFixture.Loaded loaded = ConfigFixture.load(directory, backendKeys, "service = main-master", Map.of());
        assertThat(loaded.problems()).isEmpty();
        return loaded.config();
    }

    private List<String> problems(String backendKeys) {
        return ConfigFixture.load(directory, backendKeys, "service = main-master", Map.of()).problems();
    }
}
