package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application that writes numbered rows through the master's Consul DNS name. It resolves the
 * name before every reconnect, with no DNS cache, as a client with {@code networkaddress.cache.ttl=0}
 * and Consul's TTL 0 does, and remembers which address acknowledged each row.
 */
final class DnsWriter implements AutoCloseable {

    record Ack(long id, String address, long atNanos) {}

    private final String dnsServer;
    private final String name;
    private final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    DnsWriter(String dnsServer, String name) {
        this.dnsServer = dnsServer;
        this.name = name;
        this.thread = new Thread(this::writeLoop, "dns-writer");
        thread.setDaemon(true);
        thread.start();
    }

    List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    /** Waits until {@code count} writes were acknowledged, failing after a minute. */
    void awaitAcks(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acks().size() < count) {
            assertThat(System.nanoTime()).as("the DNS writer did not reach %d writes", count).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void writeLoop() {
        long id = 0;
        Connection connection = null;
        String address = null;
        while (running.get()) {
            try {
                if (connection == null) {
                    List<String> addresses = ConsulDns.resolve(dnsServer, name);
                    if (addresses.size() != 1) {
                        pause();
                        continue;
                    }
                    address = addresses.get(0);
                    connection = LabClients.connect(address);
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO handover_probe.e2e (id) VALUES (?)")) {
                    insert.setLong(1, ++id);
                    insert.executeUpdate();
                }
                acks.add(new Ack(id, address, System.nanoTime()));
            } catch (Exception e) {
                // Writes fail during the switch (read_only, killed session, dead server): reconnect via DNS.
                close(connection);
                connection = null;
            }
            pause();
        }
        close(connection);
    }

    private static void close(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // Already broken.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
