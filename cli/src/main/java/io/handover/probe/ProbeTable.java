package io.handover.probe;

import io.handover.api.Secret;
import io.handover.config.ProbeSettings;
import io.handover.mysql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The probe's table and account. Names come from validated configuration (letters, digits, '_'),
 * so they are safe to put into statements as they are; values are always bound.
 */
public final class ProbeTable {

    public static final String TABLE = "handover_probe";
    private static final DateTimeFormatter UTC_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final ProbeSettings settings;

    public ProbeTable(ProbeSettings settings) {
        this.settings = settings;
    }

    public String qualifiedTable() {
        return "`" + settings.database() + "`.`" + TABLE + "`";
    }

    private String account() {
        return "'" + settings.user() + "'@'%'";
    }

    /**
     * Creates the table if needed and (re)creates the probe's account with a fresh password and
     * only INSERT and SELECT on the database: an account without SUPER (or MariaDB's READ ONLY
     * ADMIN), which read_only stops as it stops an application. Run on the master, with the
     * administrative login; replication carries both to the replicas.
     */
    public void setUp(Connection master, Secret password) throws SQLException {
        Sql.of("CREATE TABLE IF NOT EXISTS " + qualifiedTable() + " (run_id BIGINT NOT NULL, seq BIGINT NOT NULL,"
                + " server_id BIGINT NOT NULL, sent_at DATETIME(6) NOT NULL, PRIMARY KEY (run_id, seq)) ENGINE = InnoDB")
                .execute(master);
        Sql.of("CREATE USER IF NOT EXISTS " + account() + " IDENTIFIED BY ?", password).execute(master);
        Sql.of("ALTER USER " + account() + " IDENTIFIED BY ?", password).execute(master);
        Sql.of("GRANT SELECT, INSERT ON `" + settings.database() + "`.* TO " + account()).execute(master);
    }

    /** Drops the table and the account. */
    public void cleanUp(Connection master) throws SQLException {
        Sql.of("DROP TABLE IF EXISTS " + qualifiedTable()).execute(master);
        Sql.of("DROP USER IF EXISTS " + account()).execute(master);
    }

    /** One probe write; the row names the server that took it. */
    public Sql insert(long runId, long seq, long serverId, Instant sentAt) {
        return Sql.of("INSERT INTO " + qualifiedTable() + " (run_id, seq, server_id, sent_at) VALUES (?, ?, ?, ?)",
                runId, seq, serverId, UTC_MICROS.format(sentAt));
    }

    /** The rows of one run on one server: seq -> the server_id that took it. */
    public Map<Long, Long> rows(Connection connection, long runId) throws SQLException {
        Map<Long, Long> rows = new HashMap<>();
        try (PreparedStatement statement = Sql.of("SELECT seq, server_id FROM " + qualifiedTable() + " WHERE run_id = ?",
                runId).prepare(connection); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return rows;
    }
}
