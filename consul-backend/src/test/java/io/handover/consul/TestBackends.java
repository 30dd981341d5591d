package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.handover.api.BackendContext;
import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import io.handover.api.FailoverBackend;
import io.handover.api.Host;
import java.util.List;
import java.util.Map;

/**
 * Builds backends the way handover's core does (its ConfigLoader): HOCON text, {@link ConfigReader}s,
 * the factory, then {@code rejectUnknownKeys()} on the redirect entry.
 * The cluster {@code main} has three MySQL hosts in a documentation range (RIG.md): Consul's DNS
 * answers with their addresses whether or not anything listens there.
 */
final class TestBackends {

    static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    static final Host DB3 = new Host("db3", "198.51.100.13", 3307, true);
    static final Cluster MAIN = new Cluster("main", List.of(DB1, DB2, DB3));

    private TestBackends() {}

    /** A backend for {@code service} of cluster {@code main}; fails the test on any configuration problem. */
    static FailoverBackend create(String backendConfig, String service) {
        return create(backendConfig, "{ backend = consul, service = " + service + " }", Map.of());
    }

    static FailoverBackend create(String backendConfig, String redirect, Map<String, String> environment) {
        ConfigReader root = ConfigReader.of(ConfigFactory.parseString(backendConfig + "\nhandover.clusters.main.redirect = [" + redirect + "]").resolve());
        ConfigReader handover = root.object("handover");
        ConfigReader entry = handover.object("clusters").object("main").objectList("redirect").get(0);
        entry.string("backend");
        FailoverBackend backend = new ConsulBackendFactory().create(
                new BackendContext(MAIN, handover.object("backends").object("consul"), entry, environment));
        entry.rejectUnknownKeys();
        assertThat(root.problems()).isEmpty();
        return backend;
    }
}
