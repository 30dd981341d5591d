package io.handover.mysql;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Asks every host of a cluster at once, so one dead host costs one timeout, not one per host. */
public final class TopologyInspector {

    private TopologyInspector() {}

    /**
     * Every host's answer within half of what is left of {@code deadline}: one that has not answered
     * by then is unreachable. Half, so that a host that never answers leaves the caller the time to
     * act on what the others said (register's redirect, the probe's table).
     */
    public static ClusterStatus inspect(ClusterConfig config, Deadline deadline) {
        try (HostInspections inspections = new HostInspections(config.cluster().hosts().size())) {
            return inspect(config, inspections, deadline);
        }
    }

    /** With the hosts asked through {@code inspections}, which other clusters of this run share. */
    public static ClusterStatus inspect(ClusterConfig config, HostInspections inspections, Deadline deadline) {
        List<Host> hosts = config.cluster().hosts();
        Deadline answers = deadline.shorter(deadline.remaining().dividedBy(2));
        hosts.forEach(host -> inspections.start(host, config.mysql(), answers));
        List<HostStatus> statuses = new ArrayList<>();
        for (Host host : hosts) {
            statuses.add(inspections.await(host, config.mysql(), answers));
        }
        return TopologyAnalyzer.analyze(config.cluster(), withErrantGtids(statuses, config, deadline), config.maxReplicaLag());
    }

    /**
     * Every other reachable host of the master's flavour compared with the single writable master,
     * asked once more after all answers are in: its position then covers all the others have.
     * Without a single master, or when it cannot be asked now, nothing is compared.
     */
    static List<HostStatus> withErrantGtids(List<HostStatus> statuses, ClusterConfig config, Deadline deadline) {
        List<HostStatus> writable = statuses.stream().filter(HostStatus::writable).toList();
        if (writable.size() != 1) {
            return statuses;
        }
        HostStatus master = writable.get(0);
        List<HostStatus> result = new ArrayList<>();
        try (Connection connection = MysqlConnections.open(master.host(), config.mysql(), deadline)) {
            String masterPosition = master.flavor() == Flavor.MARIADB
                    ? Sql.of("SELECT @@GLOBAL.gtid_binlog_pos").single(connection) : null;
            for (HostStatus status : statuses) {
                if (status == master || !status.reachable() || status.flavor() != master.flavor()) {
                    result.add(status);
                } else if (master.flavor() == Flavor.MARIADB) {
                    result.add(status.withErrantGtids(ErrantTransactions.mariadb(status.gtidPosition(), masterPosition)));
                } else {
                    result.add(status.withErrantGtids(ErrantTransactions.mysql(connection, status.gtidPosition())));
                }
            }
            return result;
        } catch (SQLException | IllegalArgumentException e) {
            return statuses;
        }
    }
}
