package io.handover.probe;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * Why one probe write failed, in the words an application owner would use, and whether it may
 * have been committed anyway (the connection went away after the statement was sent).
 *
 * @param kind {@code dns}, {@code connect}, {@code read-only}, {@code killed}, {@code connection-lost},
 *     {@code timeout}, {@code access-denied}, {@code no-table} or {@code mysql-<code>}
 * @param ambiguous whether the write may have been applied although it was not acknowledged
 * @param message the first line of the error, for the event log
 */
public record WriteError(String kind, boolean ambiguous, String message) {

    /** ER_OPTION_PREVENTS_STATEMENT (read_only), and MySQL's ER_READ_ONLY_MODE (super_read_only). */
    private static final Set<Integer> READ_ONLY = Set.of(1290, 1836);
    /** ER_SERVER_SHUTDOWN, ER_QUERY_INTERRUPTED, MariaDB's ER_CONNECTION_KILLED, MySQL's ER_SESSION_WAS_KILLED. */
    private static final Set<Integer> KILLED = Set.of(1053, 1317, 1927, 3169);

    public static WriteError dns(String message) {
        return new WriteError("dns", false, message);
    }

    /**
     * @param sent whether the INSERT had been sent: an error before that (while connecting) is never ambiguous
     */
    public static WriteError of(SQLException e, boolean sent) {
        String message = firstLine(e);
        int code = e.getErrorCode();
        if (READ_ONLY.contains(code)) {
            return new WriteError("read-only", false, message);
        }
        if (code == 1045) {
            return new WriteError("access-denied", false, message);
        }
        if (code == 1146 || code == 1049) {
            return new WriteError("no-table", false, message);
        }
        if (KILLED.contains(code)) {
            return new WriteError("killed", sent, message);
        }
        if (e instanceof SQLTimeoutException || message.contains("Read timed out")) {
            return new WriteError("timeout", sent, message);
        }
        if (isConnectionError(e)) {
            return new WriteError(sent ? "connection-lost" : "connect", sent, message);
        }
        return new WriteError("mysql-" + code, sent && code == 0, message);
    }

    /** SQLState class 08 (connection exception), as Connector/J reports a refused or broken link. */
    private static boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    private static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
