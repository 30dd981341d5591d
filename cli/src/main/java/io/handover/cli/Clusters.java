package io.handover.cli;

import io.handover.config.ClusterConfig;
import io.handover.config.HandoverConfig;
import java.util.List;

/** Picks the clusters a command works on. */
final class Clusters {

    private Clusters() {}

    /** All clusters, or the one named; an unknown name is a usage error that lists the known ones. */
    static List<ClusterConfig> select(HandoverConfig config, String name) {
        if (name == null) {
            return List.copyOf(config.clusters().values());
        }
        return List.of(config.cluster(name).orElseThrow(() -> new HandoverException(ExitCode.USAGE,
                "no cluster named '" + name + "' in " + config.file() + "; clusters: "
                        + String.join(", ", config.clusters().keySet()))));
    }
}
