package io.handover.vip;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.ServerIdentity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Which MySQL server answers at an address, as the core asks it: {@code SELECT @@server_id} with
 * plain JDBC, bounded by the deadline. A collaborator of the backend, answered by the lab's real
 * MariaDB servers.
 */
final class JdbcIdentity implements ServerIdentity {

    private final String user;
    private final String password;

    JdbcIdentity(String user, String password) {
        this.user = user;
        this.password = password;
    }

    String user() {
        return user;
    }

    /** For the lab's mariadb client, through MYSQL_PWD: never on a command line. */
    String password() {
        return password;
    }

    @Override
    public String of(String address, int port, Deadline deadline) throws BackendException {
        long connect = deadline.capped(Duration.ofSeconds(2)).toMillis();
        long read = deadline.capped(Duration.ofSeconds(5)).toMillis();
        String url = "jdbc:mysql://" + address + ":" + port + "/?connectTimeout=" + connect + "&socketTimeout=" + read;
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT @@server_id")) {
            row.next();
            return "server_id " + row.getLong(1);
        } catch (SQLException e) {
            throw BackendException.retryable("cannot ask " + address + ":" + port + " which MySQL server it is: " + e.getMessage(), e);
        }
    }
}
