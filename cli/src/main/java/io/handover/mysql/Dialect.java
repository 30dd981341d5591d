package io.handover.mysql;

import io.handover.api.Host;
import io.handover.config.ReplicationAccount;
import java.util.List;

/**
 * The statements a master change needs, in the syntax of one server family and version: MySQL
 * and MariaDB differ in replication syntax, GTID format and whether {@code super_read_only} exists.
 */
public sealed interface Dialect permits MariaDbDialect, MySqlDialect {

    /** From {@code SELECT VERSION()}: {@code 10.11.11-MariaDB-0+deb12u1-log}, {@code 8.4.3}, {@code 8.0.21}. */
    static Dialect of(String version) {
        return Flavor.fromVersion(version) == Flavor.MARIADB ? new MariaDbDialect() : new MySqlDialect(version);
    }

    Flavor flavor();

    /** Every transaction in this server's binary log: what its replicas must apply to have all of it. */
    Sql executedGtids();

    /** What this replica has applied so far, for progress messages. */
    Sql appliedGtids();

    /** Waits up to {@code timeoutSeconds} until this replica has applied {@code gtids}; see {@link #waitReached}. */
    Sql waitForGtids(String gtids, int timeoutSeconds);

    /** Whether the result of {@link #waitForGtids} means the position was reached (not a timeout). */
    boolean waitReached(long result);

    /** Makes a server take writes again. */
    List<Sql> writable();

    /** Stops replication and forgets its source: the first half of a promotion. */
    List<Sql> detach();

    /**
     * Replicates from {@code source} by GTID, reconnecting every second when it goes away.
     *
     * @param wasMaster whether this server was a master until now: on MariaDB its own binary log
     *     position then becomes the position it continues from
     */
    List<Sql> replicateFrom(Host source, ReplicationAccount account, boolean wasMaster);
}
