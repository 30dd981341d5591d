package io.handover.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Errant transactions: what a replica has executed that the master has not. A replica written to
 * directly (read_only off, an account with SUPER, {@code FLUSH PRIVILEGES} on MySQL, which binlogs
 * even under super_read_only) holds them; promoted, it would serve them to every other host, and
 * GTID auto-position would ship them to replicas that never saw them, or stop replication there.
 * The measured facts (FLUSH PRIVILEGES on a MySQL replica, GTID_SUBTRACT): docs/MYSQL.md.
 */
public final class ErrantTransactions {

    private ErrantTransactions() {}

    /**
     * MySQL: the server itself subtracts the master's executed set, read at the moment of asking,
     * so that what the master committed after the replica was read is never mistaken for errant.
     *
     * @param master a connection to the master
     * @param replicaExecuted the replica's {@code @@gtid_executed}
     * @return the errant GTID set, empty for none
     */
    public static String mysql(Connection master, String replicaExecuted) throws SQLException {
        if (replicaExecuted.isBlank()) {
            return "";
        }
        return Sql.of("SELECT GTID_SUBTRACT(?, @@GLOBAL.gtid_executed)", replicaExecuted).single(master).replace("\n", "");
    }

    /**
     * MariaDB: per replication domain, the replica's last GTID against the master's. Errant: a domain
     * the master has never seen, a sequence number beyond the master's (the replica wrote after its
     * last replicated event: {@code D-S-(M+1)} to {@code D-S-N}), or the master's sequence number from
     * another server (two different transactions with one number).
     *
     * @param replicaPosition the replica's {@code @@gtid_current_pos}
     * @param masterPosition the master's {@code @@gtid_binlog_pos}, read after the replica's
     * @return the errant positions, comma separated, empty for none; {@code D-S-N} for a domain the
     *     master lacks or a conflicting number, {@code D-S-M+1..N} for a run past the master's
     */
    public static String mariadb(String replicaPosition, String masterPosition) {
        Map<Long, long[]> master = parseMariaDb(masterPosition);
        List<String> errant = new ArrayList<>();
        for (Map.Entry<Long, long[]> entry : parseMariaDb(replicaPosition).entrySet()) {
            long domain = entry.getKey();
            long server = entry.getValue()[0];
            long sequence = entry.getValue()[1];
            long[] theirs = master.get(domain);
            if (theirs == null || sequence == theirs[1] && server != theirs[0]) {
                errant.add(domain + "-" + server + "-" + sequence);
            } else if (sequence > theirs[1]) {
                errant.add(domain + "-" + server + "-" + (sequence == theirs[1] + 1 ? "" + sequence : (theirs[1] + 1) + ".." + sequence));
            }
        }
        return String.join(",", errant);
    }

    /** {@code 0-1-5,1-2-3}: domain -> {server, sequence}. */
    static Map<Long, long[]> parseMariaDb(String position) {
        Map<Long, long[]> result = new LinkedHashMap<>();
        for (String gtid : position.split(",")) {
            String trimmed = gtid.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("-");
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a MariaDB GTID position: " + position);
            }
            result.put(Long.parseLong(parts[0]), new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
        }
        return result;
    }
}
