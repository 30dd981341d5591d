package io.handover.awsroute;

import com.typesafe.config.ConfigFactory;
import io.handover.api.BackendSettings;
import io.handover.api.ConfigProblem;
import io.handover.api.ConfigReader;
import io.handover.api.SshOverrides;
import io.handover.toolkit.HoconConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads an aws-route backend block and one redirect entry from a real file, the way the core does,
 * so that problems carry {@code file:line}. The backend's keys start on line 3 of {@code handover.conf};
 * the redirect entry is on the line after them.
 */
final class ConfigFixture {

    record Loaded(AwsRouteConfig config, RouteEntry entry, List<String> problems, AwsRouteBackend backend) {}

    private ConfigFixture() {}

    static Loaded load(Path directory, String backendKeys, String redirectKeys) {
        Path file = directory.resolve("handover.conf");
        try {
            Files.writeString(file, "handover {\n  backends.aws-route {\n" + backendKeys + "\n  }\n"
                    + "  clusters.main.redirect = [{ backend = aws-route, " + redirectKeys + " }]\n}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseFile(file.toFile()).resolve());
        ConfigReader handover = root.object("handover");
        ConfigReader backendBlock = handover.object("backends").object("aws-route");
        ConfigReader entry = handover.object("clusters").object("main").objectList("redirect").get(0);
        entry.string("backend");
        AwsRouteConfig config = AwsRouteConfig.read(backendBlock);
        RouteEntry route = RouteEntry.read(entry, TestBackends.MAIN);
        entry.rejectUnknownKeys();
        // the factory reads the same block again, as the core would: no I/O, no second set of problems
        AwsRouteBackend backend = (AwsRouteBackend) new AwsRouteBackendFactory()
                .configure(new BackendSettings(backendBlock, Map.of(), SshOverrides.NONE));
        String prefix = directory + "/";
        List<String> problems = root.problems().stream().map(ConfigProblem::toString).map(p -> p.replace(prefix, "")).toList();
        return new Loaded(config, route, problems, backend);
    }
}
