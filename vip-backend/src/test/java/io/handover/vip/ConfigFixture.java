package io.handover.vip;

import com.typesafe.config.ConfigFactory;
import io.handover.api.Cluster;
import io.handover.api.ConfigProblem;
import io.handover.api.ConfigReader;
import io.handover.api.Host;
import io.handover.toolkit.HoconConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a vip backend block and one redirect entry from a real file, the way the core does (the
 * entry's {@code backend} read first, {@code rejectUnknownKeys()} after), so that problems carry
 * {@code file:line}. The backend's keys start on line 3 of {@code handover.conf}; the redirect
 * entry is on the line after them.
 */
final class ConfigFixture {

    static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    static final Host DB3 = new Host("db3", "198.51.100.13", 3306, true);
    static final Cluster MAIN = new Cluster("main", List.of(DB1, DB2, DB3));

    record Loaded(VipConfig config, VipEntry entry, List<String> problems) {}

    private ConfigFixture() {}

    static Loaded load(Path directory, String backendKeys, String redirectKeys) {
        return load(directory, backendKeys, redirectKeys, MAIN);
    }

    /** As {@link #load(Path, String, String)}, for another cluster named main. */
    static Loaded load(Path directory, String backendKeys, String redirectKeys, Cluster cluster) {
        return loadText(directory, cluster, "handover {\n  backends.vip {\n" + backendKeys + "\n  }\n"
                + "  clusters.main.redirect = [{ backend = vip, " + redirectKeys + " }]\n}\n");
    }

    /** A whole file that sets {@code handover.backends.vip} and {@code handover.clusters.main.redirect}. */
    static Loaded loadText(Path directory, String text) {
        return loadText(directory, MAIN, text);
    }

    static Loaded loadText(Path directory, Cluster cluster, String text) {
        Path file = directory.resolve("handover.conf");
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseFile(file.toFile()).resolve());
        ConfigReader handover = root.object("handover");
        ConfigReader entry = handover.object("clusters").object("main").objectList("redirect").get(0);
        entry.string("backend");
        VipConfig config = VipConfig.read(handover.object("backends").object("vip"));
        VipEntry vip = VipEntry.read(entry, cluster);
        entry.rejectUnknownKeys();
        String prefix = directory + "/";
        return new Loaded(config, vip, root.problems().stream().map(ConfigProblem::toString).map(p -> p.replace(prefix, "")).toList());
    }
}
