package io.handover.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local TCP servers that accept connections and never say a word: to a MySQL client, servers that
 * time out. They count the connections each took, and when each was accepted.
 */
public final class SilentServers implements AutoCloseable {

    private final List<ServerSocket> sockets = new ArrayList<>();
    private final List<AtomicInteger> accepted = new ArrayList<>();
    private final List<Long> acceptedAt = java.util.Collections.synchronizedList(new ArrayList<>());

    public SilentServers(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            ServerSocket socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            AtomicInteger counter = new AtomicInteger();
            sockets.add(socket);
            accepted.add(counter);
            Thread acceptor = new Thread(() -> accept(socket, counter), "silent-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }
    }

    private void accept(ServerSocket server, AtomicInteger counter) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                acceptedAt.add(System.nanoTime());
                counter.incrementAndGet();
                Thread holder = new Thread(() -> hold(client), "silent-client");
                holder.setDaemon(true);
                holder.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Until the client hangs up. */
    private void hold(Socket client) {
        try (client; InputStream in = client.getInputStream()) {
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    public int port(int index) {
        return sockets.get(index).getLocalPort();
    }

    public int accepted(int index) {
        return accepted.get(index).get();
    }

    /** The most connections accepted within {@code window} of the first: with clients that wait longer than that, how many asked at once. */
    public int mostAcceptedWithin(java.time.Duration window) {
        List<Long> times;
        synchronized (acceptedAt) {
            times = acceptedAt.stream().sorted().toList();
        }
        int most = 0;
        for (int i = 0; i < times.size(); i++) {
            int j = i;
            while (j < times.size() && times.get(j) - times.get(i) < window.toNanos()) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        return most;
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket socket : sockets) {
            socket.close();
        }
    }
}
