package io.handover.config;

import io.handover.api.Cluster;
import java.time.Duration;
import java.util.List;

/**
 * Everything handover knows about one cluster.
 *
 * @param cluster its name and hosts
 * @param mysql how to log in to its servers
 * @param maxReplicaLag the lag above which status calls a replica lagging
 * @param redirects where its clients are sent, primary first
 */
public record ClusterConfig(Cluster cluster, MysqlSettings mysql, Duration maxReplicaLag, List<Redirect> redirects) {

    public ClusterConfig {
        redirects = List.copyOf(redirects);
    }

    public String name() {
        return cluster.name();
    }
}
