package io.handover.mysql;

import io.handover.api.Host;
import io.handover.config.ReplicationAccount;
import java.util.List;

/**
 * MySQL 8.0 and 8.4: UUID GTID sets and {@code super_read_only}. {@code CHANGE REPLICATION SOURCE TO}
 * and the {@code REPLICA} keywords from 8.0.23 on (8.4 has no other); the old words before.
 *
 * @param version {@code SELECT VERSION()}
 */
public record MySqlDialect(String version) implements Dialect {

    /** Whether the server knows (8.4: only knows) the source/replica syntax. */
    public boolean sourceReplicaSyntax() {
        return !version.matches("(5\\..*|8\\.0\\.(\\d|1\\d|2[0-2])\\b.*)");
    }

    @Override
    public Flavor flavor() {
        return Flavor.MYSQL;
    }

    @Override
    public Sql executedGtids() {
        // Newlines in a long gtid_executed are stripped in Java (MysqlNode): REPLACE with '\n' is
        // a no-op under sql_mode NO_BACKSLASH_ESCAPES.
        return Sql.of("SELECT @@GLOBAL.gtid_executed");
    }

    @Override
    public Sql appliedGtids() {
        return executedGtids();
    }

    @Override
    public Sql waitForGtids(String gtids, int timeoutSeconds) {
        return Sql.of("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)", gtids, timeoutSeconds);
    }

    /** 0 = reached, 1 = timed out. */
    @Override
    public boolean waitReached(long result) {
        return result == 0;
    }

    /**
     * SET PERSIST, not SET GLOBAL: the value survives a restart (mysqld-auto.cnf), so that a restarted
     * server is what handover left, not what it was before, whichever way it went (a fence is persisted
     * the same way; see {@link #fence()}).
     */
    @Override
    public List<Sql> writable() {
        // super_read_only = ON implies read_only = ON; switching it off first leaves plain read_only to clear.
        return List.of(Sql.of("SET PERSIST super_read_only = OFF"), Sql.of("SET PERSIST read_only = OFF"));
    }

    /** What stops writes, for good: a fenced master that restarts must come back read-only (docs/MYSQL.md). */
    public static List<Sql> fence() {
        return List.of(Sql.of("SET PERSIST read_only = ON"), Sql.of("SET PERSIST super_read_only = ON"));
    }

    @Override
    public List<Sql> detach() {
        return sourceReplicaSyntax()
                ? List.of(Sql.of("STOP REPLICA"), Sql.of("RESET REPLICA ALL"))
                : List.of(Sql.of("STOP SLAVE"), Sql.of("RESET SLAVE ALL"));
    }

    @Override
    public List<Sql> replicateFrom(Host source, ReplicationAccount account, boolean wasMaster) {
        // GET_SOURCE_PUBLIC_KEY: caching_sha2_password (the default) refuses a replica without TLS otherwise.
        if (sourceReplicaSyntax()) {
            return List.of(Sql.of("STOP REPLICA"),
                    Sql.of("CHANGE REPLICATION SOURCE TO SOURCE_HOST = ?, SOURCE_PORT = ?, SOURCE_USER = ?, SOURCE_PASSWORD = ?,"
                            + " SOURCE_AUTO_POSITION = 1, SOURCE_CONNECT_RETRY = 1, GET_SOURCE_PUBLIC_KEY = 1",
                            source.address(), source.port(), account.user(), account.password()),
                    Sql.of("START REPLICA"));
        }
        return List.of(Sql.of("STOP SLAVE"),
                Sql.of("CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?,"
                        + " MASTER_AUTO_POSITION = 1, MASTER_CONNECT_RETRY = 1, GET_MASTER_PUBLIC_KEY = 1",
                        source.address(), source.port(), account.user(), account.password()),
                Sql.of("START SLAVE"));
    }
}
