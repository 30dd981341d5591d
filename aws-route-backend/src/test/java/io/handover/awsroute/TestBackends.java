package io.handover.awsroute;

import io.handover.toolkit.contract.BoundRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.handover.api.Backend;
import io.handover.api.BackendSettings;
import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import io.handover.api.Host;
import io.handover.api.Redirect;
import io.handover.api.RedirectContext;
import io.handover.api.ServerIdentity;
import io.handover.api.SshOverrides;
import io.handover.toolkit.HoconConfigReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Builds backends the way handover's core does (its ConfigLoader): HOCON text, {@link ConfigReader}s,
 * the factory, then {@code rejectUnknownKeys()} on the redirect entry. The cluster {@code main} has
 * three MySQL hosts; the backend never connects to them.
 */
final class TestBackends {

    static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    static final Host DB3 = new Host("db3", "198.51.100.13", 3306, true);
    static final Cluster MAIN = new Cluster("main", List.of(DB1, DB2, DB3));
    static final String DESTINATION = "198.18.200.10/32";

    /** The aws-route backend never asks MySQL: it checks the route tables. */
    static final ServerIdentity NO_MYSQL = (address, port, deadline) -> {
        throw new AssertionError("the aws-route backend asked MySQL at " + address + ":" + port);
    };

    private TestBackends() {}

    static String backendConfig(URI endpoint) {
        return "handover.backends.aws-route { region = \"" + MotoVpc.REGION + "\", endpoint = \"" + endpoint + "\" }";
    }

    /** A redirect of cluster {@code main}; fails the test on any configuration problem. */
    static BoundRedirect create(String backendConfig, String redirectKeys) {
        return create(backendConfig, redirectKeys, AwsRouteBackendFactory.CALL_TIMEOUT);
    }

    static BoundRedirect create(String backendConfig, String redirectKeys, Duration callTimeout) {
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseString(backendConfig
                + "\nhandover.clusters.main.redirect = [{ backend = aws-route, " + redirectKeys + " }]").resolve());
        ConfigReader handover = root.object("handover");
        ConfigReader entry = handover.object("clusters").object("main").objectList("redirect").get(0);
        entry.string("backend");
        Backend backend = new AwsRouteBackendFactory().configure(
                new BackendSettings(handover.object("backends").object("aws-route"), Map.of(), SshOverrides.NONE), callTimeout);
        Redirect bound = backend.bind(new RedirectContext(MAIN, entry, NO_MYSQL));
        entry.rejectUnknownKeys();
        assertThat(root.problems()).isEmpty();
        return new BoundRedirect(backend, bound, MAIN);
    }
}
