package io.handover.consul;

import com.typesafe.config.ConfigFactory;
import io.handover.api.ConfigProblem;
import io.handover.api.ConfigReader;
import io.handover.toolkit.HoconConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a consul backend block and one redirect entry from a real file, the way the core does, so
 * that problems carry {@code file:line}. The backend's keys start on line 3 of {@code handover.conf};
 * the redirect entry is on the line after them.
 */
final class ConfigFixture {

    record Loaded(ConsulConfig config, ConsulRedirect redirect, List<String> problems, HoconConfigReader root) {}

    private ConfigFixture() {}

    static Loaded load(Path directory, String backendKeys, String redirectKeys, Map<String, String> environment) {
        return loadText(directory, "handover {\n  backends.consul {\n" + backendKeys + "\n  }\n"
                + "  clusters.main.redirect = [{ backend = consul, " + redirectKeys + " }]\n}\n", environment);
    }

    /** A whole file that sets {@code handover.backends.consul} and {@code handover.clusters.main.redirect}. */
    static Loaded loadText(Path directory, String text, Map<String, String> environment) {
        Path file = directory.resolve("handover.conf");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseFile(file.toFile()).resolve());
        ConfigReader handover = root.object("handover");
        ConfigReader backend = handover.object("backends").object("consul");
        ConfigReader entry = handover.object("clusters").object("main").objectList("redirect").get(0);
        entry.string("backend");
        ConsulConfig config = ConsulConfig.read(backend, environment);
        ConsulRedirect redirect = ConsulRedirect.read(entry, TestBackends.MAIN, config.kvEnabled(), backend.path("kv") + ".enabled");
        entry.rejectUnknownKeys();
        String prefix = directory + "/";
        List<String> problems = root.problems().stream().map(ConfigProblem::toString).map(p -> p.replace(prefix, "")).toList();
        return new Loaded(config, redirect, problems, root);
    }

    /** A test resource's path: the PEM files under {@code tls/}. */
    static Path resource(String name) {
        try {
            return Path.of(ConfigFixture.class.getResource("/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("no test resource " + name, e);
        }
    }
}
