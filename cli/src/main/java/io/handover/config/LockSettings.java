package io.handover.config;

import io.handover.api.Backend;
import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import java.nio.file.Path;
import io.handover.toolkit.HoconConfigReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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
     * {@code backend}: required when backends of several kinds are configured and one of them can
     * hold a lock, so that adding or removing a backend (as a migration does) never moves the lock
     * silently: two handovers, one with the old configuration and one with the new, would each hold
     * "the" lock. Otherwise the one backend that can hold a lock (consul), or {@code file} if none
     * can. {@code directory}: the journal's.
     */
    static LockSettings read(ConfigReader lock, Map<String, Backend> backends, Collection<Cluster> clusters, Path journalDirectory) {
        List<String> capable = backends.entrySet().stream()
                .filter(entry -> !clusters.isEmpty() && clusters.stream().allMatch(cluster -> entry.getValue().lock(cluster).isPresent()))
                .map(Map.Entry::getKey).toList();
        String backend = lock.string("backend", null);
        // Default: next to the journal, so that two installations (or two labs) never share a lock.
        Path directory = lock.file("directory").orElse(journalDirectory);
        lock.rejectUnknownKeys();
        if (backend == null) {
            if (!capable.isEmpty() && backends.size() > 1) {
                lock.problem("set lock.backend to " + String.join(" or ", capable) + " (one lock every handover machine sees)"
                        + " or file (a lock on this machine only): with backends " + String.join(", ", backends.keySet())
                        + " configured it must be chosen, not implied, so that adding or retiring a backend never moves it");
            }
            backend = capable.size() == 1 ? capable.get(0) : FILE;
        }
        if (backend.equals(FILE)) {
            return new LockSettings(Optional.empty(), directory);
        }
        if (!capable.contains(backend)) {
            List<String> choices = new ArrayList<>(capable);
            choices.add(0, FILE);
            String hint = HoconConfigReader.closest(backend, new LinkedHashSet<>(choices)).map(known -> " (did you mean '" + known + "'?)").orElse("");
            lock.problem("backend", (backends.containsKey(backend) ? "backend '" + backend + "' cannot hold a lock"
                    : "'" + backend + "' is no configured backend that can hold a lock") + hint + "; use " + String.join(" or ", choices)
                    + (capable.isEmpty() ? " (a consul backend, configured under handover.backends.consul, can)" : ""));
        }
        return new LockSettings(Optional.of(backend), directory);
    }

    /** {@code consul} or {@code file <directory>}, for {@code config check}. */
    public String describe() {
        return backend.orElse(FILE + " in " + directory);
    }
}
