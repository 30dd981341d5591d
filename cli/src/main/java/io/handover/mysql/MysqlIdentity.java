package io.handover.mysql;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.ServerIdentity;
import io.handover.config.MysqlSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Asks the server at an address for its {@code @@server_id}, with the cluster's account: unique in a
 * replication topology on MariaDB and MySQL alike, so a backend can tell which server a client going
 * through a VIP or a route really reaches.
 */
public final class MysqlIdentity implements ServerIdentity {

    private final MysqlSettings settings;

    public MysqlIdentity(MysqlSettings settings) {
        this.settings = settings;
    }

    @Override
    public String of(String address, int port, Deadline deadline) throws BackendException {
        try (Connection connection = MysqlConnections.open(new Host(address, address, port, false), settings, deadline);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT @@server_id")) {
            row.next();
            return "server_id " + row.getLong(1);
        } catch (SQLException e) {
            throw BackendException.retryable("cannot ask " + address + ":" + port + " which MySQL server it is: " + MysqlConnections.reason(e), e);
        }
    }
}
