package io.handover.mysql;

import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Asks every host of a cluster at once, so one dead host costs one timeout, not one per host. */
public final class TopologyInspector {

    private TopologyInspector() {}

    public static ClusterStatus inspect(ClusterConfig config) {
        try (HostInspections inspections = new HostInspections(config.cluster().hosts().size())) {
            return inspect(config, inspections);
        }
    }

    /** With the hosts asked through {@code inspections}, which other clusters of this run share. */
    public static ClusterStatus inspect(ClusterConfig config, HostInspections inspections) {
        List<Host> hosts = config.cluster().hosts();
        hosts.forEach(host -> inspections.start(host, config.mysql()));
        List<HostStatus> statuses = new ArrayList<>();
        for (Host host : hosts) {
            statuses.add(inspections.await(host, config.mysql()));
        }
        return TopologyAnalyzer.analyze(config.cluster(), withErrantGtids(statuses, config), config.maxReplicaLag());
    }

    /**
     * Every other reachable host of the master's flavour compared with the single writable master,
     * asked once more after all answers are in: its position then covers all the others have.
     * Without a single master, or when it cannot be asked now, nothing is compared.
     */
    static List<HostStatus> withErrantGtids(List<HostStatus> statuses, ClusterConfig config) {
        List<HostStatus> writable = statuses.stream().filter(HostStatus::writable).toList();
        if (writable.size() != 1) {
            return statuses;
        }
        HostStatus master = writable.get(0);
        List<HostStatus> result = new ArrayList<>();
        try (Connection connection = MysqlConnections.open(master.host(), config.mysql())) {
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
