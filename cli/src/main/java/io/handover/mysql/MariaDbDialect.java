package io.handover.mysql;

import io.handover.api.Host;
import io.handover.config.ReplicationAccount;
import java.util.ArrayList;
import java.util.List;

/** MariaDB 10.6+: {@code SHOW SLAVE STATUS}, domain-server-sequence GTIDs, no {@code super_read_only}. */
public record MariaDbDialect() implements Dialect {

    @Override
    public Flavor flavor() {
        return Flavor.MARIADB;
    }

    @Override
    public Sql executedGtids() {
        return Sql.of("SELECT @@gtid_binlog_pos");
    }

    @Override
    public Sql appliedGtids() {
        return Sql.of("SELECT @@gtid_slave_pos");
    }

    @Override
    public Sql waitForGtids(String gtids, int timeoutSeconds) {
        return Sql.of("SELECT MASTER_GTID_WAIT(?, ?)", gtids, timeoutSeconds);
    }

    /** 0 = reached, -1 = timed out. */
    @Override
    public boolean waitReached(long result) {
        return result == 0;
    }

    @Override
    public List<Sql> writable() {
        return List.of(Sql.of("SET GLOBAL read_only = OFF"));
    }

    @Override
    public List<Sql> detach() {
        return List.of(Sql.of("STOP SLAVE"), Sql.of("RESET SLAVE ALL"));
    }

    @Override
    public List<Sql> replicateFrom(Host source, ReplicationAccount account, boolean wasMaster) {
        List<Sql> statements = new ArrayList<>();
        statements.add(Sql.of("STOP SLAVE"));
        if (wasMaster) {
            // A master's own writes are in gtid_binlog_pos, not gtid_slave_pos: without this, slave_pos
            // would ask the new master for transactions this server already has.
            statements.add(Sql.of("SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos"));
        }
        statements.add(Sql.of("CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?,"
                + " MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1",
                source.address(), source.port(), account.user(), account.password()));
        statements.add(Sql.of("START SLAVE"));
        return statements;
    }
}
