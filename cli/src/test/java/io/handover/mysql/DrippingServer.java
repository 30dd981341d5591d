package io.handover.mysql;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A local TCP server that announces a 255-byte MySQL greeting and then sends it a byte every
 * 200 ms: every socket read gets data in time, so no read timeout ever fires, and only a deadline
 * ends a client's wait. A slow link, or an overloaded proxy in front of MySQL.
 */
public final class DrippingServer implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());

    public DrippingServer() throws IOException {
        Thread acceptor = new Thread(this::accept, "dripping-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread dripper = new Thread(() -> drip(client), "dripping-client");
                dripper.setDaemon(true);
                dripper.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void drip(Socket client) {
        try (client; OutputStream out = client.getOutputStream()) {
            out.write(new byte[] {(byte) 0xff, 0, 0, 0, 0x0a});
            while (true) {
                out.write('5');
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test is over
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
