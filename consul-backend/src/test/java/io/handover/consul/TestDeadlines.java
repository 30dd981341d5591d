package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB1;
import static io.handover.consul.TestBackends.DB2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import io.handover.api.Verification;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every Consul call ends by the deadline it was given, plus a small overrun, whatever the servers
 * do: three servers that accept and never answer (the fault proxy's stall), three whose connects
 * time out (a loopback listener whose accept queue is full drops every SYN, like a server whose
 * link is down), DNS servers that never answer. The margin is generous for a loaded 2-core
 * machine; the promise is the deadline, and each test prints what it measured.
 */
class TestDeadlines {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final long MARGIN_MILLIS = 750;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void everyOperationEndsByItsDeadlineWhenEveryServerStalls() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addresses.add(keep(FaultProxy.start("http://127.0.0.1:1").fault(FaultProxy.Fault.stall())).address());
        }
        // AMBIGUOUS once the PUT's headers went out; RETRYABLE if a loaded machine had not sent them by the deadline
        everyOperationEndsByTheDeadline("stalled", addresses, "", Kind.AMBIGUOUS, Kind.RETRYABLE);
    }

    /** Nothing was sent, so nothing can have been applied: RETRYABLE even for the session's PUT. */
    @Test
    void everyOperationEndsByItsDeadlineWhenNoConnectCompletes() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addresses.add(blackHole());
        }
        everyOperationEndsByTheDeadline("connect black hole", addresses, "", Kind.RETRYABLE);
    }

    /** A shorter request-timeout: the next server gets what is left of the deadline, not a fresh timeout. */
    @Test
    void failingOverToTheNextServerUsesWhatIsLeftOfTheDeadline() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addresses.add(keep(FaultProxy.start("http://127.0.0.1:1").fault(FaultProxy.Fault.stall())).address());
        }
        everyOperationEndsByTheDeadline("stalled, request-timeout 1500ms", addresses, "request-timeout = 1500ms", Kind.AMBIGUOUS, Kind.RETRYABLE);
    }

    private void everyOperationEndsByTheDeadline(String what, List<String> addresses, String extra, Kind... writeKinds) throws Exception {
        List<String> dns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dns.add(silentDns());
        }
        String config = "handover.backends.consul { addresses = [\"" + String.join("\", \"", addresses) + "\"], dns = [\""
                + String.join("\", \"", dns) + "\"], lock.ttl = 10s\n" + extra + " }";
        try (BoundRedirect backend = TestBackends.create(config, "deadline-master")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> backend.lock().orElseThrow().acquire("test", Deadline.after(DEADLINE)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).as(e.getMessage()).isIn((Object[]) writeKinds))
                    .hasMessageContaining("PUT /v1/session/create reached no Consul server");
            withinDeadline(what + ": lock acquire", start);

            start = System.nanoTime();
            assertThatThrownBy(() -> backend.current(Deadline.after(DEADLINE)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE));
            withinDeadline(what + ": current", start);

            start = System.nanoTime();
            assertThatThrownBy(() -> backend.activate(DB2, Deadline.after(DEADLINE)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE));
            withinDeadline(what + ": activate", start);

            start = System.nanoTime();
            assertThatThrownBy(() -> backend.release(DB1, Deadline.after(DEADLINE)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE));
            withinDeadline(what + ": release", start);

            start = System.nanoTime();
            Verification verification = backend.verify(DB2, Deadline.after(DEADLINE));
            withinDeadline(what + ": verify", start);
            assertThat(verification.passed()).isFalse();
            assertThat(verification.checks()).hasSize(4).noneMatch(Verification.Check::passed);
        }
    }

    /** A slow answer (one byte per 100 ms, every read well within the read timeout) is cut at the deadline too. */
    @Test
    void aSlowAnswerIsCutAtTheDeadline() throws Exception {
        com.sun.net.httpserver.HttpServer upstream = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        upstream.createContext("/", exchange -> {
            byte[] answer = ("[" + " ".repeat(200) + "]").getBytes();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        upstream.start();
        keep(() -> upstream.stop(0));
        FaultProxy proxy = keep(FaultProxy.start("http://127.0.0.1:" + upstream.getAddress().getPort())
                .fault(FaultProxy.Fault.slowBody(Duration.ofMillis(100))));
        String config = "handover.backends.consul { addresses = [\"" + proxy.address() + "\"], dns = [] }";
        try (BoundRedirect backend = TestBackends.create(config, "deadline-master")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> backend.current(Deadline.after(DEADLINE)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE));
            withinDeadline("slow body: current", start);
        }
    }

    /**
     * OkHttp reads a timeout of 0 ms as none at all: a deadline with less than a millisecond left
     * must still bound the call (it used to fall back to a full request-timeout per phase).
     */
    @Test
    void lessThanAMillisecondLeftIsStillALimit() throws Exception {
        OkHttpClient bounded = ConsulHttp.bounded(new OkHttpClient(), Duration.ofNanos(300_000), EventListener.NONE);
        assertThat(List.of(bounded.callTimeoutMillis(), bounded.connectTimeoutMillis(), bounded.readTimeoutMillis(),
                bounded.writeTimeoutMillis())).containsOnly(1);
        assertThat(ConsulHttp.bounded(new OkHttpClient(), Duration.ofMillis(1500), EventListener.NONE).callTimeoutMillis())
                .isEqualTo(1500);

        FaultProxy stalled = keep(FaultProxy.start("http://127.0.0.1:1").fault(FaultProxy.Fault.stall()));
        String config = "handover.backends.consul { addresses = [\"" + stalled.address() + "\"], dns = [] }";
        ConsulConfig consul = ConfigFixture.loadText(java.nio.file.Files.createTempDirectory("deadlines"),
                config + "\nhandover.clusters.main.redirect = [{ backend = consul, service = main-master }]\n", java.util.Map.of()).config();
        try (ConsulHttp http = new ConsulHttp(consul)) {
            ConsulRequest request = ConsulRequest.consistentGet("catalog/service/main-master", "service:read");
            assertThatThrownBy(() -> http.send(request, Deadline.after(Duration.ofSeconds(1)))); // warms up the client
            for (long micros = 100; micros < 1000; micros += 200) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> http.send(request, Deadline.after(Duration.ofNanos(900_000))))
                        .isInstanceOf(BackendException.class);
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("deadline 0.9 ms, stalled server: send returned after %d ms%n", millis);
                assertThat(millis).isLessThan(MARGIN_MILLIS);
            }
        }
    }

    @Test
    void aHostNameLookupThatHangsIsCutAtItsLimit() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> BoundedLookup.lookup("consul-1.example", Duration.ofMillis(300), host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        })).isInstanceOf(UnknownHostException.class).hasMessage("consul-1.example: not resolved within 300 ms");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("a hanging host-name lookup with 300 ms: gave up after %d ms%n", millis);
        assertThat(millis).isBetween(300L, 300 + MARGIN_MILLIS);
        never.countDown();

        assertThat(BoundedLookup.lookup("127.0.0.1", Duration.ofMillis(1), host -> {
            throw new AssertionError("an IP literal was looked up");
        })).containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    private static void withinDeadline(String what, long startNanos) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf("%s: deadline %d ms, returned after %d ms%n", what, DEADLINE.toMillis(), millis);
        assertThat(millis).as(what).isLessThan(DEADLINE.toMillis() + MARGIN_MILLIS);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * A loopback address whose connects never complete: a listener that never accepts, its accept
     * queue filled, so that Linux drops every further SYN (as for a server whose link is down).
     */
    private String blackHole() throws IOException {
        ServerSocket server = keep(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            keep(socket);
            try {
                socket.connect(server.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException e) {
                return "http://127.0.0.1:" + server.getLocalPort();
            }
        }
        throw new IllegalStateException("the accept queue of " + server + " never filled");
    }

    /** A DNS server on loopback that never answers. */
    private String silentDns() throws IOException {
        DatagramSocket socket = keep(new DatagramSocket(0, InetAddress.getByName("127.0.0.1")));
        return "127.0.0.1:" + socket.getLocalPort();
    }
}
