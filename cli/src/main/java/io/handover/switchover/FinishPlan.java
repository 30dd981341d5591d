package io.handover.switchover;

import io.handover.api.Host;
import io.handover.flow.RefusedException;
import io.handover.config.ClusterConfig;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.HostStatus;
import io.handover.mysql.ReplicaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code switchover --finish} still has to do for a master that is already promoted: the
 * hosts not yet replicating from it by GTID, and those it cannot reach.
 *
 * @param newMaster the promoted master
 * @param repoints the reachable hosts to point at it
 * @param unreachable hosts that could not be asked, to repoint later
 */
public record FinishPlan(Host newMaster, List<Switchover.Repoint> repoints, List<String> unreachable) {

    public FinishPlan {
        repoints = List.copyOf(repoints);
        unreachable = List.copyOf(unreachable);
    }

    /** @throws RefusedException unless {@code to} is the only writable host */
    public static FinishPlan of(ClusterConfig cluster, ClusterStatus topology, String to, Set<String> excluded) {
        List<HostStatus> writable = topology.hosts().stream().filter(HostStatus::writable).toList();
        if (writable.size() != 1 || !writable.get(0).host().name().equals(to)) {
            throw new RefusedException("refused: --finish needs " + to + " to be the only writable host;"
                    + " writable now: " + (writable.isEmpty() ? "none" : String.join(", ", writable.stream().map(h -> h.host().name()).toList()))
                    + " (cluster " + cluster.name() + "; nothing was changed)");
        }
        Host newMaster = writable.get(0).host();
        List<Switchover.Repoint> repoints = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (HostStatus host : topology.hosts()) {
            if (host.host().equals(newMaster) || excluded.contains(host.host().name())) {
                continue;
            }
            if (!host.reachable()) {
                unreachable.add(host.host().name());
            } else if (!replicatesFrom(cluster, host.replica(), newMaster)) {
                // A host that replicates from nothing was a master: its own binlog is where it continues.
                repoints.add(new Switchover.Repoint(host, host.replica() == null));
            }
        }
        return new FinishPlan(newMaster, repoints, unreachable);
    }

    private static boolean replicatesFrom(ClusterConfig cluster, ReplicaStatus replica, Host master) {
        return replica != null && replica.running() && replica.gtid()
                && cluster.cluster().hostAt(replica.sourceHost(), replica.sourcePort()).filter(master::equals).isPresent();
    }
}
