package io.handover.probe;

import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.ClientEndpoint;
import io.handover.config.MysqlSettings;
import io.handover.mysql.MysqlConnections;
import io.handover.mysql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A client that writes numbered rows through the cluster's client endpoint, as an application
 * would: it resolves the name, connects, writes until something fails, and then starts over with
 * a fresh resolution and a fresh connection. Every attempt goes into the ledger.
 */
public final class Probe {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final ClientEndpoint endpoint;
    private final EndpointResolver resolver;
    private final ProbeTable table;
    private final String user;
    private final Secret password;
    private final MysqlSettings settings;
    private final Map<Long, String> hostsByServerId;
    private final Consumer<String> events;
    private final long runId;

    /**
     * @param hostsByServerId the cluster's hosts by {@code @@server_id}, to name who took a write
     * @param events one line per change: writes start failing, fail differently, succeed again
     */
    public Probe(ClientEndpoint endpoint, ProbeTable table, String user, Secret password, MysqlSettings settings,
            Map<Long, String> hostsByServerId, Consumer<String> events, long runId) {
        this.endpoint = endpoint;
        this.resolver = new EndpointResolver(endpoint);
        this.table = table;
        this.user = user;
        this.password = password;
        this.settings = settings;
        this.hostsByServerId = Map.copyOf(hostsByServerId);
        this.events = events;
        this.runId = runId;
    }

    /** Writes every {@code interval} until {@code duration} has passed or {@code stop} is set. */
    public ProbeLedger run(Duration duration, Duration interval, AtomicBoolean stop) throws InterruptedException {
        ProbeLedger ledger = new ProbeLedger();
        long end = System.nanoTime() + duration.toNanos();
        long next = System.nanoTime();
        Connection connection = null;
        long serverId = 0;
        String server = null;
        String failing = null;
        long failingSince = 0;
        try {
            for (long seq = 1; !stop.get() && System.nanoTime() < end; seq++) {
                Instant sentAt = Instant.now();
                boolean sent = false;
                WriteError error = null;
                try {
                    if (connection == null) {
                        server = null;
                        EndpointResolver.Answer answer = resolver.resolve();
                        String address = answer.addresses().get(0);
                        connection = MysqlConnections.open(new Host(endpoint.name(), address, endpoint.port(), false),
                                user, password, settings);
                        serverId = Long.parseLong(Sql.of("SELECT @@server_id").single(connection));
                        server = hostsByServerId.getOrDefault(serverId, address);
                    }
                    sent = true;
                    try (PreparedStatement insert = table.insert(runId, seq, serverId, sentAt).prepare(connection)) {
                        insert.executeUpdate();
                    }
                } catch (EndpointResolver.ResolveException e) {
                    error = WriteError.dns(e.getMessage());
                } catch (SQLException e) {
                    error = WriteError.of(e, sent);
                    close(connection);
                    connection = null;
                }
                long done = System.nanoTime();
                ledger.add(new ProbeLedger.Attempt(seq, sentAt, done, server, error));
                if (error == null && failing != null) {
                    events.accept(time(sentAt) + " writes acknowledged again by " + server + " after "
                            + Duration.ofNanos(done - failingSince).toMillis() + " ms of failures");
                    failing = null;
                } else if (error != null && !error.kind().equals(failing)) {
                    if (failing == null) {
                        failingSince = done;
                    }
                    failing = error.kind();
                    events.accept(time(sentAt) + " writes fail: " + error.kind() + (server == null ? "" : " on " + server)
                            + ": " + error.message());
                }
                next += interval.toNanos();
                long pause = next - System.nanoTime();
                if (pause > 0) {
                    Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
            }
        } finally {
            close(connection);
        }
        return ledger;
    }

    static String time(Instant instant) {
        return LocalTime.ofInstant(instant, ZoneId.systemDefault()).format(TIME);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Already broken: that is why it is being closed.
            }
        }
    }
}
