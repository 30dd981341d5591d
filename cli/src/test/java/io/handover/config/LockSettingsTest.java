package io.handover.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.handover.api.Backend;
import io.handover.api.Cluster;
import io.handover.api.ClusterLock;
import io.handover.api.Host;
import io.handover.api.Redirect;
import io.handover.api.RedirectContext;
import io.handover.toolkit.HoconConfigReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the failover lock lives, and that adding or removing a backend never moves it silently. */
class LockSettingsTest {

    private static final List<Cluster> CLUSTERS = List.of(new Cluster("main", List.of(new Host("db1", "198.51.100.11", 3306, true))));
    private static final Path JOURNAL = Path.of("/var/lib/handover/journal");

    /** A backend that holds a lock, as consul does; the lock itself is never taken here. */
    private static final Backend LOCKING = new Backend() {
        @Override
        public Redirect bind(RedirectContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ClusterLock> lock(Cluster cluster) {
            return Optional.of(new io.handover.lock.LocalFileLock(java.nio.file.Path.of("/nonexistent/never-taken.lock")));
        }
    };
    private static final Backend PLAIN = context -> {
        throw new UnsupportedOperationException();
    };

    private record Read(LockSettings settings, List<String> problems) {}

    private static Read read(String lockBlock, Map<String, Backend> backends) {
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseString("lock { " + lockBlock + " }"));
        LockSettings settings = LockSettings.read(root.object("lock"), backends, CLUSTERS, JOURNAL);
        return new Read(settings, root.problems().stream().map(problem -> problem.path() + ": " + problem.message()).toList());
    }

    private static Map<String, Backend> backends(Object... nameAndBackend) {
        Map<String, Backend> backends = new LinkedHashMap<>();
        for (int i = 0; i < nameAndBackend.length; i += 2) {
            backends.put((String) nameAndBackend[i], (Backend) nameAndBackend[i + 1]);
        }
        return backends;
    }

    @Test
    void theOnlyBackendThatCanHoldALockHoldsItElseAFile() {
        assertThat(read("", backends("consul", LOCKING)).settings()).isEqualTo(new LockSettings(Optional.of("consul"), JOURNAL));
        assertThat(read("", backends("vip", PLAIN)).settings()).isEqualTo(new LockSettings(Optional.empty(), JOURNAL));
        assertThat(read("", backends()).settings().describe()).isEqualTo("file in " + JOURNAL);
    }

    @Test
    void withSeveralBackendsALockThatCouldMoveMustBeChosen() {
        Read vipAndConsul = read("", backends("consul", LOCKING, "vip", PLAIN));

        assertThat(vipAndConsul.problems()).containsExactly("lock: set lock.backend to consul (one lock every handover machine sees)"
                + " or file (a lock on this machine only): with backends consul, vip configured it must be chosen, not implied,"
                + " so that adding or retiring a backend never moves it");
        assertThat(read("backend = consul", backends("consul", LOCKING, "vip", PLAIN)).problems()).isEmpty();
        assertThat(read("backend = file, directory = \"/run/locks\"", backends("consul", LOCKING, "vip", PLAIN)).settings())
                .isEqualTo(new LockSettings(Optional.empty(), Path.of("/run/locks")));
    }

    @Test
    void aBackendThatCannotHoldALockIsRefusedOfferingOnlyTheOnesThatCan() {
        assertThat(read("backend = vip", backends("vip", PLAIN)).problems()).containsExactly(
                "lock.backend: backend 'vip' cannot hold a lock; use file (a consul backend, configured under handover.backends.consul, can)");
        assertThat(read("backend = fiel", backends("consul", LOCKING, "vip", PLAIN)).problems()).containsExactly(
                "lock.backend: 'fiel' is no configured backend that can hold a lock (did you mean 'file'?); use file or consul");
        assertThat(read("backend = consul", backends("vip", PLAIN)).problems()).containsExactly(
                "lock.backend: 'consul' is no configured backend that can hold a lock; use file"
                        + " (a consul backend, configured under handover.backends.consul, can)");
    }
}
