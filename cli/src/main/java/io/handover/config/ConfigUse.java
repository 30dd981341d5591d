package io.handover.config;

import java.util.Set;

/**
 * What one command uses of the configuration, so that it is refused only for problems there: one
 * broken cluster must not stop a failover of another, and a hook must not need a secret it never
 * sends. {@code config check} uses everything.
 *
 * @param clusters the clusters it works on; null = every cluster
 * @param mysqlLogin whether it logs in to those clusters' MySQL servers with the configured accounts
 * @param backends whether it talks to the redirect backends (and so needs their tokens and keys)
 */
public record ConfigUse(Set<String> clusters, boolean mysqlLogin, boolean backends) {

    public static final ConfigUse EVERYTHING = new ConfigUse(null, true, true);

    public ConfigUse {
        clusters = clusters == null ? null : Set.copyOf(clusters);
    }

    /** One cluster, or every cluster when {@code cluster} is null, with MySQL and the backends. */
    public static ConfigUse cluster(String cluster) {
        return new ConfigUse(cluster == null ? null : Set.of(cluster), true, true);
    }

    boolean includes(String cluster) {
        return clusters == null || clusters.contains(cluster);
    }
}
