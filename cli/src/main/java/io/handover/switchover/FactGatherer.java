package io.handover.switchover;

import io.handover.api.Targets;
import io.handover.config.RedirectEntry;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.RedirectState;
import io.handover.config.ClusterConfig;
import io.handover.mysql.ClusterStatus;
import io.handover.mysql.HostStatus;
import io.handover.mysql.MysqlConnections;
import io.handover.mysql.Sql;
import io.handover.mysql.TopologyInspector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Asks the hosts and the redirect backends everything the preconditions need. Reads only. */
public final class FactGatherer {

    /** One backend's answer must not eat the switchover's deadline. */
    static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(5);

    private FactGatherer() {}

    public static Facts gather(ClusterConfig cluster, Deadline deadline) {
        ClusterStatus topology = TopologyInspector.inspect(cluster, deadline);
        List<Facts.LongTransaction> transactions = List.of();
        String transactionsError = null;
        Optional<HostStatus> master = topology.master();
        if (master.isPresent()) {
            try {
                transactions = longTransactions(cluster, master.get(), cluster.switchover().maxTransactionAge(), deadline);
            } catch (SQLException e) {
                transactionsError = MysqlConnections.reason(e);
            }
        }
        List<Facts.BackendState> backends = new ArrayList<>();
        for (RedirectEntry redirect : cluster.redirects()) {
            backends.add(backendState(redirect, deadline));
        }
        return new Facts(topology, transactions, transactionsError, backends);
    }

    private static List<Facts.LongTransaction> longTransactions(ClusterConfig cluster, HostStatus master, Duration maxAge, Deadline deadline)
            throws SQLException {
        Sql query = Sql.of("SELECT trx_mysql_thread_id, TIMESTAMPDIFF(SECOND, trx_started, NOW())"
                + " FROM information_schema.innodb_trx WHERE trx_started < NOW() - INTERVAL ? SECOND ORDER BY trx_started",
                (int) maxAge.toSeconds());
        List<Facts.LongTransaction> result = new ArrayList<>();
        try (Connection connection = MysqlConnections.open(master.host(), cluster.mysql(), deadline);
                PreparedStatement statement = query.prepare(connection);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                result.add(new Facts.LongTransaction(rs.getLong(1), rs.getLong(2)));
            }
        }
        return result;
    }

    private static Facts.BackendState backendState(RedirectEntry redirect, Deadline deadline) {
        String name = redirect.describe();
        try {
            RedirectState state = redirect.redirect().current(deadline.shorter(BACKEND_TIMEOUT));
            return new Facts.BackendState(name, state.targets(), null);
        } catch (BackendException | RuntimeException e) {
            return new Facts.BackendState(name, Targets.NONE, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
