package io.handover.awsroute;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP proxy in front of moto that does what moto cannot: answers requests as EC2 does when
 * it throttles (HTTP 503, {@code <Code>RequestLimitExceeded</Code>} in EC2's XML error form), loses
 * the answer to a write it did forward, or answers with an error that echoes the request's
 * credentials. Otherwise it forwards, and records each request's action and signing key id.
 */
final class Ec2Proxy implements AutoCloseable {

    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z]+)");
    private static final Pattern KEY_ID = Pattern.compile("Credential=([A-Z0-9]+)/");

    record Request(String action, String accessKeyId, int status) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();
    private final URI upstream;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile boolean throttleForever;
    private volatile boolean echoCredentials;
    private volatile String holdAction;
    private final AtomicInteger holdNext = new AtomicInteger();
    private volatile Duration holdFor = Duration.ZERO;

    static {
        // headers and body go out in two writes: without TCP_NODELAY, Nagle and the client's delayed ACK add ~40 ms a call
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    Ec2Proxy(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers the next {@code n} requests as throttled. */
    void throttleNext(int n) {
        throttleNext.set(n);
    }

    void throttleForever(boolean on) {
        throttleForever = on;
    }

    /** Forwards the next {@code n} requests of {@code action}, then answers them only after {@code delay}. */
    void holdAnswers(String action, int n, Duration delay) {
        holdAction = action;
        holdFor = delay;
        holdNext.set(n);
    }

    /** Answers every request with an error whose message echoes its Authorization header. */
    void echoCredentials(boolean on) {
        echoCredentials = on;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    long count(String action) {
        return requests.stream().filter(request -> request.action().equals(action)).count();
    }

    long throttled() {
        return requests.stream().filter(request -> request.status() == 503).count();
    }

    void clear() {
        requests.clear();
        throttleNext.set(0);
        throttleForever = false;
        echoCredentials = false;
        holdNext.set(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String form = URLDecoder.decode(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            Matcher action = ACTION.matcher(form);
            String name = action.find() ? action.group(1) : "?";
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            Matcher keyId = KEY_ID.matcher(authorization);
            String key = keyId.find() ? keyId.group(1) : "?";
            if (throttleForever || throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                requests.add(new Request(name, key, 503));
                answer(exchange, 503, error("RequestLimitExceeded", "Request limit exceeded."));
                return;
            }
            if (echoCredentials) {
                requests.add(new Request(name, key, 400));
                answer(exchange, 400, error("AuthFailure", "AWS was not able to validate the provided access credentials;"
                        + " Authorization: " + authorization + " SecretAccessKey=" + System.getProperty("aws.secretAccessKey")));
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(30));
            exchange.getRequestHeaders().forEach((header, values) -> {
                if (!RESTRICTED.contains(header.toLowerCase())) {
                    values.forEach(value -> forward.header(header, value));
                }
            });
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            requests.add(new Request(name, key, response.statusCode()));
            if (name.equals(holdAction) && holdNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                Thread.sleep(holdFor.toMillis()); // applied upstream; the answer comes too late
            }
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            answer(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (its timeout): nothing to answer
        }
    }

    private static byte[] error(String code, String message) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
