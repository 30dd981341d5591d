package io.handover.consul;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports on 127.0.0.1 that are free for both TCP and UDP (Consul's DNS and Serf use both), so that
 * test clusters never collide with each other or with anything else on the machine.
 */
final class FreePorts {

    private FreePorts() {}

    static int[] allocate(int count) throws IOException {
        List<AutoCloseable> held = new ArrayList<>();
        int[] ports = new int[count];
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < count; ) {
                ServerSocket tcp = new ServerSocket(0, 50, loopback);
                held.add(tcp);
                try {
                    held.add(new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort())));
                    ports[i++] = tcp.getLocalPort();
                } catch (IOException udpTaken) {
                    // taken for UDP: keep the TCP socket open so that it is not offered again
                }
            }
            return ports;
        } finally {
            for (AutoCloseable socket : held) {
                try {
                    socket.close();
                } catch (Exception ignored) {
                    // closing a socket we only held
                }
            }
        }
    }
}
