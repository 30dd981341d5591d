package io.handover.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local TCP servers that accept connections and never say a word: to a MySQL client, servers that
 * time out. They count the connections each took, and those open now: {@link #hangUpAll} closes
 * every open one, so a test decides when a client's wait ends instead of racing its timeout.
 */
public final class SilentServers implements AutoCloseable {

    private final List<ServerSocket> sockets = new ArrayList<>();
    private final List<AtomicInteger> accepted = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

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
                open.add(client);
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
            // the client went away, or we hung up
        } finally {
            open.remove(client);
        }
    }

    public int port(int index) {
        return sockets.get(index).getLocalPort();
    }

    public int accepted(int index) {
        return accepted.get(index).get();
    }

    /** Connections accepted and not yet ended by either side. */
    public int open() {
        return open.size();
    }

    /** Ends every open connection from the server's side: its client sees the server go away. */
    public void hangUpAll() throws IOException {
        for (Socket client : List.copyOf(open)) {
            open.remove(client);
            client.close();
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket socket : sockets) {
            socket.close();
        }
    }
}
