package io.handover.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP door on a loopback port of its own in front of the EC2 API (moto): the endpoint handover's
 * file names. Open, it forwards every connection's bytes both ways. Shut, nothing listens on its
 * port: connections are refused, as when the API's host is down. Silent, it accepts connections
 * and reads requests but never answers, as a hung API or a dropped path does. Opened again, it
 * listens on the same port, so that the same file and the same command line work again.
 */
final class Ec2Door implements AutoCloseable {

    private enum Mode { OPEN, SILENT, SHUT }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int target;
    private final int port;
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket server;
    private volatile Mode mode = Mode.OPEN;

    Ec2Door(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = listen(0);
        this.port = server.getLocalPort();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Nothing listens on the port any more; connections already made are closed. */
    synchronized void shut() throws IOException {
        mode = Mode.SHUT;
        server.close();
        closeConnections();
    }

    /** Connections are accepted and their requests read, never answered. */
    synchronized void silence() throws IOException {
        reopenIfShut();
        mode = Mode.SILENT;
    }

    /** Forwards again, on the same port; the connections held while silent are closed. */
    synchronized void open() throws IOException {
        reopenIfShut();
        mode = Mode.OPEN;
        closeConnections();
    }

    @Override
    public synchronized void close() throws IOException {
        shut();
    }

    private void reopenIfShut() throws IOException {
        if (server.isClosed()) {
            server = listen(port);
        }
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(LOOPBACK, onPort), 50);
        Thread acceptor = new Thread(() -> accept(socket), "ec2-door-accept-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                track(client);
                if (mode == Mode.OPEN) {
                    Socket upstream = new Socket(LOOPBACK, target);
                    track(upstream);
                    pump(client.getInputStream(), upstream.getOutputStream(), "request", () -> upstream.shutdownOutput());
                    pump(upstream.getInputStream(), client.getOutputStream(), "answer", () -> {
                        client.close();
                        upstream.close();
                    });
                } else {
                    pump(client.getInputStream(), OutputStream.nullOutputStream(), "swallow", client::close);
                }
            } catch (IOException e) {
                // the socket was closed by shut(), or one connection failed: the client sees it fail
            }
        }
    }

    private synchronized void track(Socket socket) {
        sockets.add(socket);
    }

    private synchronized void closeConnections() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
        sockets.clear();
    }

    @FunctionalInterface
    private interface Then {
        void run() throws IOException;
    }

    /** Copies until the end of {@code in}, then runs {@code then}. */
    private static void pump(InputStream in, OutputStream out, String name, Then then) {
        Thread thread = new Thread(() -> {
            try {
                in.transferTo(out);
                out.flush();
            } catch (IOException e) {
                // one side closed: the other sees the connection end
            } finally {
                try {
                    then.run();
                } catch (IOException e) {
                    // already closed
                }
            }
        }, "ec2-door-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
