package io.handover.switchover;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import io.handover.mysql.HostInspector;
import io.handover.mysql.HostStatus;
import io.handover.mysql.ReplicaStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Waits until repointed hosts replicate from the new master by GTID, both threads running. */
final class ReplicationWait {

    /** How long repointed replicas may take to connect to the new master and run. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ReplicationWait() {}

    /** @return what to journal; throws with every host still not replicating when it gives up */
    static String await(ClusterConfig cluster, Host newMaster, List<Host> hosts, Deadline deadline, Consumer<String> progress)
            throws InterruptedException {
        HostInspector inspector = new HostInspector(cluster.mysql());
        Deadline wait = deadline.shorter(TIMEOUT);
        long lastReport = System.nanoTime();
        while (true) {
            List<String> pending = new ArrayList<>();
            for (Host host : hosts) {
                problem(cluster, inspector.inspect(host), newMaster).ifPresent(pending::add);
            }
            if (pending.isEmpty()) {
                return String.join(", ", hosts.stream().map(Host::name).toList()) + " replicate from " + newMaster.name();
            }
            if (wait.expired()) {
                throw new IllegalStateException("replication from " + newMaster.name() + " did not start within "
                        + TIMEOUT.toSeconds() + " s: " + String.join("; ", pending));
            }
            if (System.nanoTime() - lastReport > 1_000_000_000L) {
                lastReport = System.nanoTime();
                progress.accept("waiting for replication from " + newMaster.name() + ": " + String.join("; ", pending));
            }
            wait.sleep(Duration.ofMillis(50));
        }
    }

    private static Optional<String> problem(ClusterConfig cluster, HostStatus status, Host newMaster) {
        String name = status.host().name();
        if (!status.reachable()) {
            return Optional.of(name + ": unreachable");
        }
        ReplicaStatus replica = status.replica();
        boolean fromNewMaster = replica != null
                && cluster.cluster().hostAt(replica.sourceHost(), replica.sourcePort()).filter(newMaster::equals).isPresent();
        if (fromNewMaster && replica.running() && replica.gtid()) {
            return Optional.empty();
        }
        return Optional.of(name + ": " + status.role() + (replica == null ? "" : ", IO/SQL " + replica.ioRunning()
                + "/" + replica.sqlRunning() + (replica.lastIoError().isEmpty() ? "" : ", " + replica.lastIoError())
                + (replica.lastSqlError().isEmpty() ? "" : ", " + replica.lastSqlError())));
    }
}
