package io.handover.config;

import io.handover.api.Backend;
import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * {@code handover.lock}: where the per-cluster failover lock lives. Its own setting, not a side
 * effect of the redirect list: reordering or retiring a redirect entry (as a migration does) must
 * never turn a lock shared with other machines into a local file.
 *
 * @param backend the backend that holds the lock ({@code consul}), or empty for a lock file
 * @param directory where lock files live, when {@code backend = file}
 */
public record LockSettings(Optional<String> backend, Path directory) {

    public static final String FILE = "file";

    /**
     * {@code backend} defaults to {@code consul} when a consul backend is configured (a lock every
     * handover of the datacenter sees), else {@code file}; {@code directory} to the journal's.
     */
    static LockSettings read(ConfigReader lock, Map<String, Backend> backends, Collection<Cluster> clusters, Path journalDirectory) {
        String fallback = backends.containsKey("consul") ? "consul" : FILE;
        String backend = lock.string("backend", fallback);
        // Default: next to the journal, so that two installations (or two labs) never share a lock.
        Path directory = lock.file("directory").orElse(journalDirectory);
        lock.rejectUnknownKeys();
        if (backend == null || backend.equals(FILE)) {
            return new LockSettings(Optional.empty(), directory);
        }
        Backend configured = backends.get(backend);
        if (configured == null) {
            lock.problem("backend", "'" + backend + "' is not a configured backend; use file or one of: "
                    + String.join(", ", backends.keySet()) + " (configure it under handover.backends)");
        } else if (clusters.stream().anyMatch(cluster -> configured.lock(cluster).isEmpty())) {
            lock.problem("backend", "backend '" + backend + "' cannot hold a lock; use file or consul");
        }
        return new LockSettings(Optional.of(backend), directory);
    }
}
