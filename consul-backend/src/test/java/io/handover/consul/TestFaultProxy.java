package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy itself, in front of a tiny in-test HTTP server that records what reaches it. */
class TestFaultProxy {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> reached = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        upstream.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            reached.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
            byte[] answer = ("echo " + body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        upstream.start();
        proxy = FaultProxy.start("http://127.0.0.1:" + upstream.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    @Test
    void passesRequestsAndTheirBodiesThroughAndRecordsThem() throws Exception {
        HttpResponse<String> response = put("/v1/txn?dc=x", "[1]", Duration.ofSeconds(5));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("echo [1]");
        assertThat(reached).containsExactly("PUT /v1/txn?dc=x [1]");
        assertThat(proxy.seen()).singleElement().satisfies(seen -> assertThat(seen.requestLine()).isEqualTo("PUT /v1/txn?dc=x HTTP/1.1"));
    }

    @Test
    void aStalledRequestIsNeverAnsweredNorForwarded() {
        proxy.fault("/v1/session/destroy", FaultProxy.Fault.stall());

        assertThatThrownBy(() -> put("/v1/session/destroy/abc", "", Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
        assertThat(reached).isEmpty();
        assertThat(proxy.count("/v1/session/destroy")).isEqualTo(1);
    }

    @Test
    void rulesPickTheFaultPerRequestAndTheRestPasses() throws Exception {
        proxy.fault("/v1/session/destroy", FaultProxy.Fault.stall()).fault("/v1/txn", FaultProxy.Fault.status(500, "No cluster leader"));

        assertThat(put("/v1/kv/a", "x", Duration.ofSeconds(5)).body()).isEqualTo("echo x");
        HttpResponse<String> failed = put("/v1/txn", "[]", Duration.ofSeconds(5));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("No cluster leader");
        assertThat(reached).containsExactly("PUT /v1/kv/a x");
    }

    @Test
    void aResetIsAnIoErrorAndForwardsNothingUnlessAskedTo() throws Exception {
        proxy.fault(FaultProxy.Fault.reset());
        assertThatThrownBy(() -> put("/v1/txn", "a", Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        assertThat(reached).isEmpty();

        proxy.fault(FaultProxy.Fault.resetAfterForwarding());
        assertThatThrownBy(() -> put("/v1/txn", "b", Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        assertThat(reached).containsExactly("PUT /v1/txn b");
    }

    @Test
    void aSlowBodyArrivesWholeButLate() throws Exception {
        proxy.fault(FaultProxy.Fault.slowBody(Duration.ofMillis(100)));
        long start = System.nanoTime();

        HttpResponse<String> response = put("/v1/kv/a", "xy", Duration.ofSeconds(5));

        assertThat(response.body()).isEqualTo("echo xy");
        assertThat((System.nanoTime() - start) / 1_000_000).as("7 bytes at 100 ms each").isGreaterThanOrEqualTo(600);
    }

    @Test
    void clearPassesEverythingAgain() throws Exception {
        proxy.fault(FaultProxy.Fault.status(503, "down"));
        assertThat(put("/v1/kv/a", "", Duration.ofSeconds(5)).statusCode()).isEqualTo(503);

        proxy.clear();

        assertThat(put("/v1/kv/a", "", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> put(String path, String body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.address() + path)).timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
