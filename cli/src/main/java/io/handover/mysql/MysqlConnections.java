package io.handover.mysql;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.MysqlSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Opens JDBC connections with short timeouts: a dead host must cost seconds, never hang a failover. */
public final class MysqlConnections {

    /** Threads for logins awaited by a deadline; one left behind by a stalled server must not keep the JVM up. */
    private static final ExecutorService LOGINS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "mysql-login");
        thread.setDaemon(true);
        return thread;
    });

    private MysqlConnections() {}

    public static Connection open(Host host, MysqlSettings settings) throws SQLException {
        return open(host, settings.user(), settings.password(), settings);
    }

    /** With explicit credentials, such as the ones MHA passes to its hooks. */
    public static Connection open(Host host, String user, Secret password, MysqlSettings settings) throws SQLException {
        String url = "jdbc:mysql://" + hostPart(host.address()) + ":" + host.port() + "/";
        return DriverManager.getConnection(url, properties(user, password, settings));
    }

    /** Logs in by {@code deadline}: see {@link #open(Host, String, Secret, MysqlSettings, Deadline)}. */
    public static Connection open(Host host, MysqlSettings settings, Deadline deadline) throws SQLException {
        return open(host, settings.user(), settings.password(), settings, deadline);
    }

    /**
     * Logs in with the timeouts cut to what is left of {@code deadline} ({@link MysqlSettings#within}),
     * and gives up at the deadline itself: a server that sends its greeting a byte at a time never
     * lets a socket read time out. A login that completes after that is closed.
     */
    public static Connection open(Host host, String user, Secret password, MysqlSettings settings, Deadline deadline)
            throws SQLException {
        MysqlSettings bounded = settings.within(deadline);
        CompletableFuture<Connection> login = CompletableFuture.supplyAsync(() -> {
            try {
                return open(host, user, password, bounded);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, LOGINS);
        try {
            return login.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            login.thenAccept(MysqlConnections::closeQuietly);
            throw new SQLTimeoutException("no login to " + host + " by the deadline: the server took the connection but did not"
                    + " finish the handshake in time");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            login.thenAccept(MysqlConnections::closeQuietly);
            throw new SQLException("interrupted while logging in to " + host, e);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // a login nobody waits for any more: the server ends the session on its own
        }
    }

    /** Connector/J's properties for one connection. */
    static Properties properties(String user, Secret password, MysqlSettings settings) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password.reveal());
        }
        properties.setProperty("connectTimeout", String.valueOf(settings.connectTimeout().toMillis()));
        properties.setProperty("socketTimeout", String.valueOf(settings.readTimeout().toMillis()));
        properties.setProperty("sslMode", settings.sslMode());
        properties.setProperty("allowPublicKeyRetrieval", "true");
        properties.setProperty("connectionAttributes", "program_name:handover");
        // no reverse DNS lookup of the server's address on every connection
        properties.setProperty("socketFactory", NoReverseLookupSocketFactory.class.getName());
        return properties;
    }

    /** What went wrong, in one line: Connector/J's messages run on over several, and the first says it. */
    public static String reason(SQLException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage().strip().lines().findFirst().orElse("");
    }

    private static String hostPart(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
