package io.handover.mysql;

import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Asks every host of a cluster at once, so one dead host costs one timeout, not one per host. */
public final class TopologyInspector {

    private TopologyInspector() {}

    public static ClusterStatus inspect(ClusterConfig config) {
        List<Host> hosts = config.cluster().hosts();
        HostInspector inspector = new HostInspector(config.mysql());
        // A hard stop above Connector/J's own timeouts, for a server that accepts but never answers.
        Duration limit = config.mysql().connectTimeout().plus(config.mysql().readTimeout().multipliedBy(3)).plusSeconds(1);
        ExecutorService executor = Executors.newFixedThreadPool(hosts.size(), runnable -> {
            Thread thread = new Thread(runnable, "inspect");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<HostStatus>> futures = new ArrayList<>();
            for (Host host : hosts) {
                futures.add(executor.submit(() -> inspector.inspect(host)));
            }
            long deadline = System.nanoTime() + limit.toNanos();
            List<HostStatus> statuses = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                statuses.add(await(futures.get(i), hosts.get(i), deadline, limit));
            }
            return TopologyAnalyzer.analyze(config.cluster(), withErrantGtids(statuses, config), config.maxReplicaLag());
        } finally {
            executor.shutdownNow();
        }
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

    private static HostStatus await(Future<HostStatus> future, Host host, long deadline, Duration limit) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return HostStatus.unreachable(host, "no answer within " + limit.toMillis() + " ms", limit);
        } catch (ExecutionException e) {
            return HostStatus.unreachable(host, String.valueOf(e.getCause()), Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HostStatus.unreachable(host, "interrupted", Duration.ZERO);
        }
    }
}
