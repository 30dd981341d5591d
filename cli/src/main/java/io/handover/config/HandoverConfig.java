package io.handover.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import io.handover.api.Backend;
import io.handover.api.ConfigProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded configuration, with its backends configured. Closing it closes them. It may still have
 * problems: {@link #require} says whether they touch what a command uses.
 *
 * @param file where it was read from
 * @param clusters the clusters by name, sorted
 * @param resolved the resolved HOCON tree, for printing the effective configuration
 * @param secretPaths the paths of values to print as {@code [REDACTED]}
 * @param defaults the value each absent key took, by path, for printing the effective configuration
 * @param journalDirectory where each cluster's journal is kept
 * @param lock where each cluster's failover lock lives
 * @param backends every configured backend, by name
 * @param problems everything wrong with it, in file order
 * @param sharedWith for a problem about something two clusters share, by its path: the other cluster
 */
public record HandoverConfig(
        Path file, Map<String, ClusterConfig> clusters, Config resolved, Set<String> secretPaths, Map<String, Object> defaults,
        Path journalDirectory,
        LockSettings lock, Map<String, Backend> backends, List<ConfigProblem> problems, Map<String, String> sharedWith)
        implements AutoCloseable {

    public HandoverConfig {
        problems = List.copyOf(problems);
        defaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaults));
        sharedWith = Map.copyOf(sharedWith);
    }

    public Optional<ClusterConfig> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    /**
     * This configuration, if nothing that {@code use} touches has a problem: another cluster's
     * problems do not count (unless it shares something with one of these clusters), nor do
     * unreadable MySQL passwords for a command that does not log in to MySQL, nor backend secrets
     * for one that does not talk to backends. {@link ConfigUse#EVERYTHING} counts every problem.
     */
    public HandoverConfig require(ConfigUse use) throws InvalidConfigException {
        List<ConfigProblem> relevant = problems.stream().filter(problem -> touches(problem.path(), use)).toList();
        if (!relevant.isEmpty()) {
            throw new InvalidConfigException(file.toString(), relevant);
        }
        return this;
    }

    private boolean touches(String path, ConfigUse use) {
        boolean secret = secretPaths.contains(path)
                || path.endsWith("-file") && secretPaths.contains(path.substring(0, path.length() - "-file".length()));
        Optional<String> cluster = clusterOf(path);
        if (cluster.isEmpty()) {
            return !secret || use.backends();
        }
        boolean inUse = use.includes(cluster.get()) || sharedWith.containsKey(path) && use.includes(sharedWith.get(path));
        return inUse && (!secret || use.mysqlLogin());
    }

    /** The cluster whose block {@code path} lies in: {@code handover.clusters.main.hosts[0].port} is main's. */
    private Optional<String> clusterOf(String path) {
        return clusters.keySet().stream().filter(name -> {
            String prefix = "handover.clusters." + ConfigUtil.joinPath(name);
            return path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
        }).findFirst();
    }

    @Override
    public void close() {
        backends.values().forEach(Backend::close);
    }
}
