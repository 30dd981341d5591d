package io.handover.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Secret;
import io.handover.config.MysqlSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MysqlConnectionsTest {

    private static final MysqlSettings SETTINGS =
            new MysqlSettings("u", Secret.of("p"), Duration.ofSeconds(2), Duration.ofSeconds(5), "PREFERRED");

    @Test
    void connectionsUseTheSocketFactoryThatSparesTheReverseLookup() {
        assertThat(MysqlConnections.properties("u", Secret.of("p"), SETTINGS).getProperty("socketFactory"))
                .isEqualTo(NoReverseLookupSocketFactory.class.getName());
    }

    @Test
    void theServersAddressAlreadyHasItsNameSoGetHostNameLooksNothingUp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                Socket socket = new NoReverseLookupSocketFactory.NamedPeerSocket()) {
            // as Connector/J connects: to an address resolved from the literal, which carries no name
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.getLocalPort()));

            InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
            // InetAddress.toString() is "name/literal" once the name is known, "/literal" while getHostName() would look it up
            assertThat(peer.getAddress()).hasToString("127.0.0.1/127.0.0.1");
            assertThat(peer.getHostName()).isEqualTo("127.0.0.1");
            assertThat(peer.getPort()).isEqualTo(server.getLocalPort());
        }
    }
}
