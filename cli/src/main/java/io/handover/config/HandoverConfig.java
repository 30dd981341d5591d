package io.handover.config;

import com.typesafe.config.Config;
import io.handover.api.Backend;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, valid configuration, with its backends configured. Closing it closes them.
 *
 * @param file where it was read from
 * @param clusters the clusters by name, sorted
 * @param resolved the resolved HOCON tree, for printing the effective configuration
 * @param secretPaths the paths of values to print as {@code [REDACTED]}
 * @param journalDirectory where each cluster's journal is kept
 * @param lock where each cluster's failover lock lives
 * @param backends every configured backend, by name
 */
public record HandoverConfig(
        Path file, Map<String, ClusterConfig> clusters, Config resolved, Set<String> secretPaths, Path journalDirectory,
        LockSettings lock, Map<String, Backend> backends) implements AutoCloseable {

    public Optional<ClusterConfig> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    @Override
    public void close() {
        backends.values().forEach(Backend::close);
    }
}
