package io.handover.mysql;

import io.handover.api.Host;
import io.handover.config.MysqlSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Asks one server what it is: flavour, version, read-only state, GTID position, replication. */
public final class HostInspector {

    private final MysqlSettings settings;

    public HostInspector(MysqlSettings settings) {
        this.settings = settings;
    }

    public HostStatus inspect(Host host) {
        long start = System.nanoTime();
        try (Connection connection = MysqlConnections.open(host, settings);
                Statement statement = connection.createStatement()) {
            String version;
            long serverId;
            boolean readOnly;
            String binlogProblem = null;
            try (ResultSet rs = statement.executeQuery(
                    "SELECT VERSION(), @@server_id, @@read_only, @@log_bin, @@log_slave_updates")) {
                rs.next();
                version = rs.getString(1);
                serverId = rs.getLong(2);
                readOnly = rs.getBoolean(3);
                if (!rs.getBoolean(4)) {
                    binlogProblem = "has no binary log (log_bin is OFF)";
                } else if (!rs.getBoolean(5)) {
                    binlogProblem = "does not log what it replicates (log_slave_updates is OFF)";
                }
            }
            Flavor flavor = Flavor.fromVersion(version);
            Boolean superReadOnly = null;
            Boolean restartsReadOnly = null;
            String gtid;
            if (flavor == Flavor.MARIADB) {
                gtid = single(statement, "SELECT @@gtid_current_pos");
            } else {
                superReadOnly = "1".equals(single(statement, "SELECT @@super_read_only"));
                gtid = single(statement, "SELECT @@gtid_executed").replace("\n", "");
                restartsReadOnly = restartsReadOnly(statement, readOnly, superReadOnly);
            }
            ReplicaStatus replica = replica(statement, flavor, version);
            return new HostStatus(host, null, flavor, version, serverId, readOnly, superReadOnly, gtid, replica, since(start),
                    binlogProblem, restartsReadOnly, null);
        } catch (SQLException e) {
            return HostStatus.unreachable(host, describe(e), since(start));
        }
    }

    private static ReplicaStatus replica(Statement statement, Flavor flavor, String version) throws SQLException {
        boolean modernMysql = flavor == Flavor.MYSQL && !version.matches("(5\\..*|8\\.0\\.(\\d|1\\d|2[01])\\b.*)");
        String query = modernMysql ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
        try (ResultSet rs = statement.executeQuery(query)) {
            if (!rs.next()) {
                return null;
            }
            String sourceHost = column(rs, "Source_Host", "Master_Host");
            if (sourceHost == null || sourceHost.isEmpty()) {
                return null;
            }
            String lag = column(rs, "Seconds_Behind_Source", "Seconds_Behind_Master");
            boolean gtid = flavor == Flavor.MARIADB
                    ? !"No".equalsIgnoreCase(column(rs, "Using_Gtid", "Using_Gtid"))
                    : "1".equals(column(rs, "Auto_Position", "Auto_Position"));
            return new ReplicaStatus(
                    sourceHost,
                    Integer.parseInt(column(rs, "Source_Port", "Master_Port")),
                    column(rs, "Replica_IO_Running", "Slave_IO_Running"),
                    column(rs, "Replica_SQL_Running", "Slave_SQL_Running"),
                    lag == null ? null : Long.valueOf(lag),
                    nullToEmpty(column(rs, "Last_IO_Error", "Last_IO_Error")),
                    nullToEmpty(column(rs, "Last_SQL_Error", "Last_SQL_Error")),
                    gtid);
        }
    }

    /**
     * MySQL: whether read_only or super_read_only would be ON after a restart. A value SET PERSIST wrote
     * decides; else one that came from the configuration or command line and was not changed since
     * (performance_schema.variables_info's source is not DYNAMIC) comes back as it is now; one set
     * with SET GLOBAL (source DYNAMIC) or never set (COMPILED) does not. Null when the server cannot
     * tell (performance_schema off, or no privilege to read it). Measured facts: docs/MYSQL.md.
     */
    static Boolean restartsReadOnly(Statement statement, boolean readOnly, boolean superReadOnly) {
        try (ResultSet rs = statement.executeQuery("SELECT v.VARIABLE_NAME, v.VARIABLE_SOURCE, p.VARIABLE_VALUE"
                + " FROM performance_schema.variables_info v LEFT JOIN performance_schema.persisted_variables p"
                + " ON p.VARIABLE_NAME = v.VARIABLE_NAME WHERE v.VARIABLE_NAME IN ('read_only', 'super_read_only')")) {
            int seen = 0;
            boolean restarts = false;
            while (rs.next()) {
                seen++;
                boolean now = "super_read_only".equals(rs.getString(1)) ? superReadOnly : readOnly;
                restarts |= restartsOn(rs.getString(2), rs.getString(3), now);
            }
            return seen == 0 ? null : restarts;
        } catch (SQLException e) {
            return null;
        }
    }

    static boolean restartsOn(String source, String persisted, boolean now) {
        if (persisted != null) {
            return "ON".equalsIgnoreCase(persisted) || "1".equals(persisted);
        }
        return now && !"DYNAMIC".equals(source) && !"COMPILED".equals(source);
    }

    /** Reads a column under its MySQL 8 name or its older (and MariaDB) name. */
    private static String column(ResultSet rs, String name, String oldName) throws SQLException {
        try {
            return rs.getString(name);
        } catch (SQLException e) {
            return rs.getString(oldName);
        }
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return nullToEmpty(rs.getString(1));
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The root cause in one line: Connector/J wraps the interesting part several levels deep. */
    static String describe(SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        if (root == e || root.getMessage() == null || first.contains(root.getMessage())) {
            return first;
        }
        return first + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
