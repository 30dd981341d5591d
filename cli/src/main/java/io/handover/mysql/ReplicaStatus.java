package io.handover.mysql;

/**
 * A host's replication from its source, from {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA STATUS}.
 *
 * @param sourceHost the source as configured on the replica (an address or a name)
 * @param sourcePort the source's port
 * @param ioRunning {@code Yes}, {@code No} or {@code Connecting}
 * @param sqlRunning {@code Yes} or {@code No}
 * @param lagSeconds seconds behind the source; null when the server cannot tell (SQL thread stopped)
 * @param lastIoError the last IO thread error, empty if none
 * @param lastSqlError the last SQL thread error, empty if none
 * @param gtid whether it replicates by GTID (MariaDB {@code Using_Gtid != No}, MySQL {@code Auto_Position = 1})
 */
public record ReplicaStatus(
        String sourceHost,
        int sourcePort,
        String ioRunning,
        String sqlRunning,
        Long lagSeconds,
        String lastIoError,
        String lastSqlError,
        boolean gtid) {

    public boolean running() {
        return "Yes".equals(ioRunning) && "Yes".equals(sqlRunning);
    }

    public String source() {
        return sourceHost + ":" + sourcePort;
    }
}
