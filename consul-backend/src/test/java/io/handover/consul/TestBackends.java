package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.handover.api.BackendSettings;
import io.handover.api.RedirectContext;
import io.handover.api.SshOverrides;
import io.handover.api.Backend;
import io.handover.api.Cluster;
import io.handover.api.Redirect;
import io.handover.api.ServerIdentity;
import io.handover.api.ConfigReader;
import io.handover.toolkit.HoconConfigReader;
import io.handover.api.Host;
import java.util.List;
import java.util.Map;

/**
 * Builds backends the way handover's core does (its ConfigLoader): HOCON text, {@link ConfigReader}s,
 * the factory, then {@code rejectUnknownKeys()} on the redirect entry.
 * The cluster {@code main} has three MySQL hosts in a documentation range: Consul's DNS
 * answers with their addresses whether or not anything listens there.
 */
final class TestBackends {

    static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    static final Host DB3 = new Host("db3", "198.51.100.13", 3307, true);
    static final Cluster MAIN = new Cluster("main", List.of(DB1, DB2, DB3));

    /** The consul backend never asks MySQL: its clients find the master by name. */
    static final ServerIdentity NO_MYSQL = (address, port, deadline) -> {
        throw new AssertionError("the consul backend asked MySQL at " + address + ":" + port);
    };

    private TestBackends() {}

    /** A backend for {@code service} of cluster {@code main}; fails the test on any configuration problem. */
    static BoundRedirect create(String backendConfig, String service) {
        return create(backendConfig, "{ backend = consul, service = " + service + " }", Map.of());
    }

    static BoundRedirect create(String backendConfig, String redirect, Map<String, String> environment) {
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseString(backendConfig + "\nhandover.clusters.main.redirect = [" + redirect + "]").resolve());
        ConfigReader handover = root.object("handover");
        ConfigReader entry = handover.object("clusters").object("main").objectList("redirect").get(0);
        entry.string("backend");
        Backend backend = new ConsulBackendFactory().configure(
                new BackendSettings(handover.object("backends").object("consul"), environment, SshOverrides.NONE));
        Redirect bound = backend.bind(new RedirectContext(MAIN, entry, NO_MYSQL));
        entry.rejectUnknownKeys();
        assertThat(root.problems()).isEmpty();
        return new BoundRedirect(backend, bound, MAIN);
    }
}
