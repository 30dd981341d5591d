package io.handover.switchover;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.MysqlSettings;
import io.handover.config.ReplicationAccount;
import io.handover.mysql.Dialect;
import io.handover.mysql.Fencer;
import io.handover.mysql.MysqlConnections;
import io.handover.mysql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One connection to one server, speaking its dialect. Opened before the fence, so that connecting
 * is not part of the time clients cannot write.
 */
final class MysqlNode implements AutoCloseable {

    /** MASTER_GTID_WAIT is called in slices this long, to report progress while it waits. */
    private static final int WAIT_SLICE_SECONDS = 1;

    private final Host host;
    private final String version;
    private final Dialect dialect;
    private final Connection connection;

    private MysqlNode(Host host, String version, Connection connection) {
        this.host = host;
        this.version = version;
        this.dialect = Dialect.of(version);
        this.connection = connection;
    }

    static MysqlNode open(Host host, String version, MysqlSettings settings) throws SQLException {
        return connected(host, version, settings, MysqlConnections.open(host, settings));
    }

    /** Logged in by {@code deadline}: before the fence, a server that does not answer in time means nothing changes. */
    static MysqlNode open(Host host, String version, MysqlSettings settings, Deadline deadline) throws SQLException {
        return connected(host, version, settings, MysqlConnections.open(host, settings, deadline));
    }

    private static MysqlNode connected(Host host, String version, MysqlSettings settings, Connection connection) throws SQLException {
        // A wait slice must not run into the socket timeout, whatever read-timeout is.
        int networkTimeout = (int) Math.max(settings.readTimeout().toMillis(), (WAIT_SLICE_SECONDS + 2) * 1000L);
        connection.setNetworkTimeout(Runnable::run, networkTimeout);
        return new MysqlNode(host, version, connection);
    }

    /**
     * A new connection to the same server: the old one may have died with whatever failed. With the
     * configured timeouts, not what is left of the deadline: a rollback is what runs after the
     * deadline, and an unfence that comes late beats a master left fenced.
     */
    MysqlNode reopen(MysqlSettings settings) throws SQLException {
        return open(host, version, settings);
    }

    Host host() {
        return host;
    }

    Dialect dialect() {
        return dialect;
    }

    /** read_only (and super_read_only), drain, kill sessions; returns everything a replica must have. */
    Fencer.Result fence(Duration drainTimeout, Deadline deadline) throws SQLException, InterruptedException {
        return Fencer.fence(connection, drainTimeout, Set.of(), deadline);
    }

    void writable() throws SQLException {
        run(dialect.writable());
    }

    void detach() throws SQLException {
        run(dialect.detach());
    }

    void replicateFrom(Host source, ReplicationAccount account, boolean wasMaster) throws SQLException {
        run(dialect.replicateFrom(source, account, wasMaster));
    }

    /** Every transaction in this server's binary log, in its dialect's GTID format. */
    String executedGtids() throws SQLException {
        return dialect.executedGtids().single(connection).replace("\n", "");
    }

    /**
     * Waits until this replica has applied {@code gtids}, reporting progress after every slice.
     *
     * @throws TimeoutException if it has not by {@code timeout}
     */
    void awaitApplied(String gtids, Duration timeout, Consumer<String> progress) throws SQLException, TimeoutException {
        long start = System.nanoTime();
        while (true) {
            String result = dialect.waitForGtids(gtids, WAIT_SLICE_SECONDS).single(connection);
            if (!result.isEmpty() && dialect.waitReached(Long.parseLong(result))) {
                return;
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            String applied = dialect.appliedGtids().single(connection);
            if (waited.compareTo(timeout) >= 0) {
                throw new TimeoutException(host.name() + " has not applied " + gtids + " after " + waited.toMillis()
                        + " ms (it has " + applied + "); switchover.catch-up-timeout is " + timeout.toMillis() + " ms");
            }
            progress.accept("waiting for " + host.name() + " to apply up to " + gtids + " (it has " + applied + "): "
                    + waited.toSeconds() + " s of " + timeout.toSeconds() + " s");
        }
    }

    private void run(List<Sql> statements) throws SQLException {
        for (Sql statement : statements) {
            statement.execute(connection);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing depends on a clean goodbye.
        }
    }
}
