package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB2;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Verification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS with client certificates ({@code verify_incoming_https}), with files made by
 * {@code consul tls}: its client key is a SEC1 {@code EC PRIVATE KEY}, which the JDK cannot read alone.
 */
class ConsulTlsIT {

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void startServerWithHttps() throws Exception {
        cluster = ConsulTestCluster.start(ConsulTestSetup.withTls("tls"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        cluster.close();
    }

    @Test
    void httpsWithAClientCertificateSwitchesAndVerifies() throws Exception {
        try (BoundRedirect backend = TestBackends.create(config(true), "tls-master")) {
            backend.activate(DB2, Deadline.after(ofSeconds(10)));
            Verification verification = backend.verify(DB2, Deadline.after(ofSeconds(5)));

            assertThat(verification.passed()).as("%s", verification).isTrue();
            assertThat(cluster.api(0).endpoints("tls-master")).containsExactly("198.51.100.12:3306");
        }
    }

    /** TLS 1.3 reports the rejected certificate after the handshake: the first tries may see "Broken pipe". */
    @Test
    void httpsWithoutTheClientCertificateFailsPermanentlyBeforeTheDeadline() {
        try (BoundRedirect backend = TestBackends.create(config(false), "tls-master")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> backend.activate(DB2, Deadline.after(ofSeconds(5))))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                    .hasMessageMatching("GET /v1/\\S+ failed TLS with every Consul server: " + cluster.server(0).httpsAddress()
                            + "/: SSLHandshakeException: Received fatal alert: bad_certificate; check the tls settings \\(ca-file, cert-file, key-file\\)");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
        }
    }

    private static String config(boolean clientCertificate) {
        String certificate = clientCertificate
                ? ", cert-file = \"" + cluster.tlsFile(cluster.setup().certificate("client", "")) + "\", key-file = \"" + cluster.tlsFile(cluster.setup().certificate("client", "-key")) + "\""
                : "";
        return "handover.backends.consul { addresses = [\"" + cluster.server(0).httpsAddress() + "\"], dns = [\"" + cluster.server(0).dnsEndpoint()
                + "\"], tls { ca-file = \"" + cluster.tlsFile("consul-agent-ca.pem") + "\"" + certificate + " } }";
    }
}
