package io.handover.mysql;

import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.MysqlSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections with short timeouts: a dead host must cost seconds, never hang a failover. */
public final class MysqlConnections {

    private MysqlConnections() {}

    public static Connection open(Host host, MysqlSettings settings) throws SQLException {
        return open(host, settings.user(), settings.password(), settings);
    }

    /** With explicit credentials, such as the ones MHA passes to its hooks. */
    public static Connection open(Host host, String user, Secret password, MysqlSettings settings) throws SQLException {
        String url = "jdbc:mysql://" + hostPart(host.address()) + ":" + host.port() + "/";
        return DriverManager.getConnection(url, properties(user, password, settings));
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
