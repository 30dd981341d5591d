package io.handover.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, valid configuration.
 *
 * @param file where it was read from
 * @param clusters the clusters by name, sorted
 * @param resolved the resolved HOCON tree, for printing the effective configuration
 * @param secretPaths the paths of values to print as {@code [REDACTED]}
 * @param journalDirectory where each cluster's journal is kept
 * @param lockDirectory where each cluster's local failover lock file is kept, when no backend offers a lock
 */
public record HandoverConfig(
        Path file, Map<String, ClusterConfig> clusters, Config resolved, Set<String> secretPaths, Path journalDirectory,
        Path lockDirectory) {

    public Optional<ClusterConfig> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }
}
