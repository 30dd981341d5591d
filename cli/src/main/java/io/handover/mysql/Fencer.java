package io.handover.mysql;

import io.handover.api.Deadline;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stops a master from taking writes: read_only (MySQL: and super_read_only, both with SET PERSIST),
 * a bounded wait for running transactions, then every remaining client session is killed so that
 * clients reconnect through the redirect to the new master. Replication threads, our own session
 * and the sessions of the accounts named as spared (MHA's own) are left alone.
 */
public final class Fencer {

    /** Processlist commands that are not client sessions. */
    private static final Set<String> SERVER_COMMANDS = Set.of(
            "Binlog Dump", "Binlog Dump GTID", "Daemon", "Slave_IO", "Slave_SQL", "Slave_worker", "Killed");
    private static final Set<String> SERVER_USERS = Set.of("system user", "event_scheduler");

    /**
     * What fencing did.
     *
     * @param drainedMs how long running transactions were waited for
     * @param killed how many sessions were killed
     * @param gtidPosition the master's GTID position once fenced: everything a replica must have
     */
    public record Result(long drainedMs, int killed, String gtidPosition) {

        /** The fence step's detail; a server that never executed a GTID transaction reports an empty set, said so plainly. */
        public String describe() {
            return "read_only set, waited " + drainedMs + " ms for transactions, killed " + killed + " sessions, "
                    + (gtidPosition.isBlank() ? "no GTID executed" : "gtid " + gtidPosition);
        }
    }

    /** ER_LOCK_WAIT_TIMEOUT: the server gave up waiting for a lock, and changed nothing. */
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

    /**
     * How long {@code SET GLOBAL read_only} may wait, on each side. The server counts
     * {@code lock_wait_timeout} in whole seconds (at least 1); the client keeps listening
     * {@link #MARGIN} longer, so that the server's "gave up" reaches it, and never past the deadline.
     *
     * @param lockWaitSeconds the server's wait ({@code lock_wait_timeout})
     * @param networkTimeoutMs the client's socket timeout for that statement
     */
    public record ReadOnlyWait(long lockWaitSeconds, int networkTimeoutMs) {

        /** Time for the server's answer to travel back after it gives up. */
        static final Duration MARGIN = Duration.ofSeconds(1);

        /** The longest waits that fit in {@code remaining}; refused if not even a 1 s wait fits. */
        public static ReadOnlyWait within(Duration remaining) throws SQLException {
            long seconds = remaining.minus(MARGIN).toSeconds();
            if (seconds < 1) {
                throw new SQLException("not fenced: " + remaining.toMillis() + " ms left of the deadline, and setting read_only"
                        + " safely needs at least " + Duration.ofSeconds(1).plus(MARGIN).toMillis() + " ms (a 1 s lock wait and"
                        + " the time for the server's answer)");
            }
            return new ReadOnlyWait(seconds, (int) Math.min(Integer.MAX_VALUE, Duration.ofSeconds(seconds).plus(MARGIN).toMillis()));
        }
    }

    private Fencer() {}

    public static Result fence(Connection connection, Duration drainTimeout, Set<String> sparedUsers, Deadline deadline)
            throws SQLException, InterruptedException {
        try (Statement statement = connection.createStatement()) {
            String version = single(statement, "SELECT VERSION()");
            Flavor flavor = Flavor.fromVersion(version);
            // A SET GLOBAL read_only blocked by a long statement must give up before we stop listening:
            // if we gave up first, we would undo a fence that the server then applies, silently, later.
            ReadOnlyWait wait = ReadOnlyWait.within(deadline.remaining());
            statement.execute("SET SESSION lock_wait_timeout = " + wait.lockWaitSeconds());
            int previousTimeout = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, wait.networkTimeoutMs());
            try {
                if (flavor == Flavor.MYSQL) {
                    // SET PERSIST: a fenced master that restarts comes back read-only, not writable (SET GLOBAL is lost).
                    for (Sql fence : MySqlDialect.fence()) {
                        fence.execute(connection);
                    }
                } else {
                    statement.execute("SET GLOBAL read_only = ON");
                }
            } catch (SQLException e) {
                if (e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                    throw new SQLException("read_only could not be set within " + wait.lockWaitSeconds() + " s: a running"
                            + " statement holds a lock it needs (the server gave up; nothing was fenced)", e.getSQLState(),
                            e.getErrorCode(), e);
                }
                throw e;
            } finally {
                connection.setNetworkTimeout(Runnable::run, previousTimeout);
            }
            long ownId = Long.parseLong(single(statement, "SELECT CONNECTION_ID()"));

            long start = System.nanoTime();
            Deadline drain = deadline.shorter(drainTimeout);
            while (!drain.expired() && runningTransactions(statement, ownId) > 0) {
                drain.sleep(Duration.ofMillis(20));
            }
            long drainedMs = (System.nanoTime() - start) / 1_000_000;

            int killed = 0;
            for (long id : clientSessions(statement, ownId, sparedUsers)) {
                try {
                    statement.execute("KILL CONNECTION " + id);
                    killed++;
                } catch (SQLException e) {
                    // 1094 ER_NO_SUCH_THREAD: it ended by itself between the listing and the kill, as wanted.
                    // Anything else (1095: not allowed) leaves a client on the fenced master: say so.
                    if (e.getErrorCode() != 1094) {
                        throw new SQLException("cannot kill session " + id + " on the fenced master: " + e.getMessage(), e);
                    }
                }
            }
            String gtid = flavor == Flavor.MARIADB
                    ? single(statement, "SELECT @@gtid_binlog_pos")
                    : single(statement, "SELECT @@gtid_executed").replace("\n", "");
            return new Result(drainedMs, killed, gtid);
        }
    }

    private static int runningTransactions(Statement statement, long ownId) throws SQLException {
        try (ResultSet rs = statement.executeQuery(
                "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> " + ownId)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<Long> clientSessions(Statement statement, long ownId, Set<String> sparedUsers) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT ID, USER, COMMAND FROM information_schema.processlist")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                String user = rs.getString(2);
                String command = rs.getString(3);
                if (id != ownId && !SERVER_COMMANDS.contains(command) && !SERVER_USERS.contains(user)
                        && !sparedUsers.contains(user)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            String value = rs.getString(1);
            return value == null ? "" : value;
        }
    }
}
