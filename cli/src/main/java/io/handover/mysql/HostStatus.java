package io.handover.mysql;

import io.handover.api.Host;
import java.time.Duration;

/**
 * What one MySQL server said about itself, or why it could not be asked.
 *
 * @param host the configured host
 * @param error why it could not be reached or queried; null if it answered
 * @param flavor MySQL or MariaDB
 * @param version {@code SELECT VERSION()}
 * @param serverId {@code @@server_id}
 * @param readOnly {@code @@read_only}
 * @param superReadOnly {@code @@super_read_only}; null where the server has none (MariaDB)
 * @param gtidPosition MariaDB {@code @@gtid_current_pos}, MySQL {@code @@gtid_executed}
 * @param replica its replication, or null if it replicates from nothing
 * @param elapsed how long asking took
 * @param binlogProblem why it could not serve as a master others replicate from by GTID (no binary
 *     log, or it does not log what it replicates), or null
 * @param restartsReadOnly MySQL: whether it would come back read-only after a restart (read_only or
 *     super_read_only persisted with SET PERSIST, or set in its configuration and not changed since);
 *     null where unknown or not applicable (MariaDB: only its my.cnf knows)
 * @param errantGtids the transactions it has and the cluster's writable master lacks (errant
 *     transactions), in its flavour's GTID notation; empty for none, null where not compared (it is
 *     the master, there is no single master, or either could not be asked)
 */
public record HostStatus(
        Host host,
        String error,
        Flavor flavor,
        String version,
        long serverId,
        boolean readOnly,
        Boolean superReadOnly,
        String gtidPosition,
        ReplicaStatus replica,
        Duration elapsed,
        String binlogProblem,
        Boolean restartsReadOnly,
        String errantGtids) {

    public HostStatus(Host host, String error, Flavor flavor, String version, long serverId, boolean readOnly,
            Boolean superReadOnly, String gtidPosition, ReplicaStatus replica, Duration elapsed) {
        this(host, error, flavor, version, serverId, readOnly, superReadOnly, gtidPosition, replica, elapsed, null);
    }

    public HostStatus(Host host, String error, Flavor flavor, String version, long serverId, boolean readOnly,
            Boolean superReadOnly, String gtidPosition, ReplicaStatus replica, Duration elapsed, String binlogProblem) {
        this(host, error, flavor, version, serverId, readOnly, superReadOnly, gtidPosition, replica, elapsed, binlogProblem,
                null, null);
    }

    /** This answer with what comparing its GTIDs to the master's found. */
    public HostStatus withErrantGtids(String errant) {
        return new HostStatus(host, error, flavor, version, serverId, readOnly, superReadOnly, gtidPosition, replica, elapsed,
                binlogProblem, restartsReadOnly, errant);
    }

    /** This answer as the answer of {@code other}: the same server under another cluster's name for it. */
    public HostStatus forHost(Host other) {
        return other.equals(host) ? this : new HostStatus(other, error, flavor, version, serverId, readOnly, superReadOnly,
                gtidPosition, replica, elapsed, binlogProblem, restartsReadOnly, errantGtids);
    }

    /** Whether it holds transactions the master lacks. */
    public boolean hasErrantGtids() {
        return errantGtids != null && !errantGtids.isEmpty();
    }

    public static HostStatus unreachable(Host host, String error, Duration elapsed) {
        return new HostStatus(host, error, null, null, 0, false, null, null, null, elapsed);
    }

    public boolean reachable() {
        return error == null;
    }

    public boolean writable() {
        return reachable() && !readOnly;
    }

    /** How an operator would name its part in the topology. */
    public String role() {
        if (!reachable()) {
            return "unreachable";
        }
        if (replica == null) {
            return readOnly ? "read-only, not replicating" : "writable master";
        }
        return readOnly ? "read-only replica" : "WRITABLE replica";
    }
}
