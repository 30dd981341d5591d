package io.handover.config;

import io.handover.api.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything handover knows about one cluster.
 *
 * @param cluster its name and hosts
 * @param mysql how to log in to its servers
 * @param maxReplicaLag the lag above which status calls a replica lagging
 * @param redirects where its clients are sent, primary first
 * @param deadline the time every hook or redirect command must finish in, all steps included
 * @param proceedOnSecondaryFailure whether a failing non-primary redirect lets MHA proceed (exit 10)
 * @param fenceDrainTimeout how long running writes on a fenced master may finish before their sessions are killed
 * @param replication the account replicas are repointed with; empty = the mysql login
 * @param switchover the bounds of a planned switchover
 * @param clientEndpoint where clients connect (a DNS name and its servers), for the probe
 * @param probe where the probe writes
 * @param refuseNonCandidatePromotion whether a hook refuses to send clients to a host with {@code candidate = false}
 *     ({@code non-candidate-promotion = refuse}) instead of warning
 */
public record ClusterConfig(
        Cluster cluster,
        MysqlSettings mysql,
        Duration maxReplicaLag,
        List<RedirectEntry> redirects,
        Duration deadline,
        boolean proceedOnSecondaryFailure,
        Duration fenceDrainTimeout,
        Optional<ReplicationAccount> replication,
        SwitchoverSettings switchover,
        Optional<ClientEndpoint> clientEndpoint,
        Optional<ProbeSettings> probe,
        boolean refuseNonCandidatePromotion) {

    public ClusterConfig {
        redirects = List.copyOf(redirects);
    }

    /** With {@code non-candidate-promotion = warn}, the default. */
    public ClusterConfig(Cluster cluster, MysqlSettings mysql, Duration maxReplicaLag, List<RedirectEntry> redirects,
            Duration deadline, boolean proceedOnSecondaryFailure, Duration fenceDrainTimeout,
            Optional<ReplicationAccount> replication, SwitchoverSettings switchover, Optional<ClientEndpoint> clientEndpoint,
            Optional<ProbeSettings> probe) {
        this(cluster, mysql, maxReplicaLag, redirects, deadline, proceedOnSecondaryFailure, fenceDrainTimeout, replication,
                switchover, clientEndpoint, probe, false);
    }

    /** The configured replication account, else the mysql login (which then needs REPLICATION SLAVE). */
    public ReplicationAccount replicationAccount() {
        return replication.orElseGet(() -> new ReplicationAccount(mysql.user(), mysql.password()));
    }

    public String name() {
        return cluster.name();
    }
}
