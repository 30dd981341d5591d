package io.handover.mysql;

import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * Connector/J's socket factory, minus a reverse DNS lookup on every connection. Once connected,
 * Connector/J (9.x, {@code ConnectionImpl}'s constructor) records the server's address for its
 * telemetry with {@code InetSocketAddress.getHostName()}, whether telemetry is on or not; for a
 * server given by IP address that is a PTR query, which a slow or overloaded resolver turns into
 * seconds (glibc retries after 5 s) taken from a hook's deadline. This socket reports its peer
 * under the name it was reached by, the IP literal itself when it was given one, so there is
 * nothing to look up.
 */
public class NoReverseLookupSocketFactory extends StandardSocketFactory {

    @Override
    protected Socket createSocket(PropertySet props) {
        return new NamedPeerSocket();
    }

    /** A plain socket whose remote address already knows its name. */
    static final class NamedPeerSocket extends Socket {
        @Override
        public SocketAddress getRemoteSocketAddress() {
            SocketAddress remote = super.getRemoteSocketAddress();
            if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
                try {
                    // getHostString() is the name it was reached by, else the literal: never a lookup
                    InetAddress named = InetAddress.getByAddress(inet.getHostString(), inet.getAddress().getAddress());
                    return new InetSocketAddress(named, inet.getPort());
                } catch (UnknownHostException e) {
                    return remote; // only for an address of a wrong length, which a connected socket never has
                }
            }
            return remote;
        }
    }
}
