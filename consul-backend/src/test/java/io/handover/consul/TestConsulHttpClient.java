package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The HTTP client is built for the addresses it will use: TLS is set up only for https:// ones. */
class TestConsulHttpClient {

    private static OkHttpClient clientFor(String addresses) throws Exception {
        ConsulConfig config = ConfigFixture.loadText(Files.createTempDirectory("consul-http"),
                "handover.backends.consul { addresses = [" + addresses + "], dns = [] }\n"
                        + "handover.clusters.main.redirect = [{ backend = consul, service = main-master }]\n", Map.of()).config();
        try (ConsulHttp http = new ConsulHttp(config)) {
            return http.client();
        }
    }

    @Test
    void plainHttpAddressesSetUpNoTls() throws Exception {
        OkHttpClient client = clientFor("\"http://127.0.0.1:8500\", \"http://127.0.0.2:8500\"");

        // the trust manager is what costs at start: the platform's trust store, read and parsed
        assertThat(client.x509TrustManager()).isNull();
        assertThat(client.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
    }

    @Test
    void anHttpsAddressKeepsTheDefaultTls() throws Exception {
        OkHttpClient client = clientFor("\"http://127.0.0.1:8500\", \"https://127.0.0.2:8501\"");

        assertThat(client.x509TrustManager()).isNotNull();
        assertThat(client.connectionSpecs()).isEqualTo(new OkHttpClient().connectionSpecs());
    }
}
