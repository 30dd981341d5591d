package io.handover.consul;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to Consul's servers, trying the next address when one cannot be reached: every
 * server forwards writes and consistent reads to the leader, so which one answers does not matter.
 * The server that answered last is asked first next time. Each call is bounded by
 * {@code request-timeout} and by the caller's deadline, whichever ends first.
 */
final class ConsulHttp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsulHttp.class);
    private static final MediaType JSON = MediaType.get("application/json");
    /**
     * The most of an answer that is read. handover's requests are answered in a few KiB (one service's
     * instances, a few nodes, five keys; a KV value is at most 512 KiB): a larger answer comes from
     * something broken in front of Consul, such as a proxy streaming forever, and reading all of it
     * could fill the heap of a hook that MHA waits for. The call timeout bounds how long it takes.
     */
    static final long MAX_BODY_BYTES = 16L << 20;

    private final ConsulConfig config;
    private final AtomicInteger preferred = new AtomicInteger();
    private OkHttpClient client;

    @Inject
    ConsulHttp(ConsulConfig config) {
        this.config = config;
    }

    /** The answer of the first server that answers, whatever its status. */
    ConsulResponse send(ConsulRequest request, Deadline deadline) throws BackendException {
        OkHttpClient client = client();
        List<HttpUrl> addresses = config.addresses();
        int first = preferred.get();
        List<String> failures = new ArrayList<>();
        boolean maybeSent = false;
        int tlsFailures = 0;
        // The next server gets what is left of the deadline, never a fresh request-timeout; the first
        // is asked even with nothing left (for 1 ms), so that an expired deadline still says why.
        // Each gets at most an equal share of what is left, so that with a short deadline (status)
        // servers that do not answer leave time to ask every other one, and the error names them all.
        for (int i = 0; i < addresses.size() && (i == 0 || !deadline.expired()); i++) {
            int index = (first + i) % addresses.size();
            HttpUrl server = addresses.get(index);
            SentListener sent = new SentListener();
            try {
                Deadline share = deadline.shorter(deadline.remaining().dividedBy(addresses.size() - i));
                ConsulResponse response = exchange(client, server, request, share, sent);
                preferred.set(index);
                return response;
            } catch (IOException e) {
                // a request whose headers never started out cannot have reached Consul, whatever cut it
                // short: a connect that timed out (the call timeout reports that as InterruptedIOException)
                boolean notSent = !sent.headersStarted || e instanceof ConnectException || e instanceof NoRouteToHostException
                        || e instanceof UnknownHostException;
                maybeSent |= request.write() && !notSent;
                tlsFailures += e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException ? 1 : 0;
                failures.add(server + ": " + describe(e));
                log.debug("{} on {} failed, trying the next address: {}", request, server, describe(e));
            }
        }
        if (tlsFailures == addresses.size()) {
            // a certificate the other side rejects will be rejected again: fail now, not at the deadline
            throw BackendException.permanent(request + " failed TLS with every Consul server: " + String.join("; ", failures)
                    + "; check the tls settings (ca-file, cert-file, key-file)");
        }
        String message = request + " reached no Consul server: " + String.join("; ", failures);
        if (maybeSent) {
            throw BackendException.ambiguous(message + " (the write may have been applied)", null);
        }
        throw BackendException.retryable(message, null);
    }

    private ConsulResponse exchange(OkHttpClient client, HttpUrl server, ConsulRequest request, Deadline deadline, SentListener sent)
            throws IOException {
        HttpUrl.Builder url = server.newBuilder().addPathSegment("v1").addPathSegments(request.path());
        config.datacenter().ifPresent(dc -> url.addQueryParameter("dc", dc));
        for (Map.Entry<String, String> parameter : request.query().entrySet()) {
            url.addQueryParameter(parameter.getKey(), parameter.getValue().isEmpty() ? null : parameter.getValue());
        }
        Request.Builder http = new Request.Builder().url(url.build());
        config.token().ifPresent(token -> http.header("X-Consul-Token", token.reveal()));
        http.method(request.method(), request.body() == null ? null : RequestBody.create(request.body(), JSON));
        Call call = bounded(client, deadline.capped(config.requestTimeout()), sent).newCall(http.build());
        long start = System.nanoTime();
        try (Response response = call.execute()) {
            String body = response.body() == null ? "" : read(response.body());
            log.debug("{} on {}: {} in {} ms", request, server, response.code(), (System.nanoTime() - start) / 1_000_000);
            return new ConsulResponse(response.code(), body, server);
        }
    }

    /** The body, as UTF-8 (Consul's JSON is), if it is at most {@link #MAX_BODY_BYTES}; past that only that much is read. */
    static String read(ResponseBody body) throws IOException {
        String tooLarge = "the answer is larger than " + (MAX_BODY_BYTES >> 20) + " MiB, more than any Consul answer to handover";
        if (body.contentLength() > MAX_BODY_BYTES) {
            throw new IOException(tooLarge + " (Content-Length " + body.contentLength() + "): not read");
        }
        BufferedSource source = body.source();
        if (source.request(MAX_BODY_BYTES + 1)) {
            throw new IOException(tooLarge + ": stopped reading after " + (MAX_BODY_BYTES >> 20) + " MiB");
        }
        return source.readUtf8();
    }

    /**
     * {@code client} with every timeout set to {@code limit}, what is left of the deadline (at most
     * request-timeout): the call timeout bounds the whole exchange (host-name lookup, connect, TLS,
     * request, the last byte of the answer) and the connect, read and write timeouts each phase, so
     * that none of them falls back to a full request-timeout. Rounded up to a whole millisecond:
     * OkHttp reads 0 as "no timeout at all", which a deadline with less than 1 ms left would give.
     * Shares the connection pool and dispatcher of {@code client}.
     */
    static OkHttpClient bounded(OkHttpClient client, Duration limit, EventListener listener) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(limit.toNanos() + 999_999));
        Duration timeout = Duration.ofMillis(millis);
        return client.newBuilder()
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .dns(host -> BoundedLookup.lookup(host, timeout))
                .eventListener(listener)
                .build();
    }

    /** Whether the request's headers started out: until then, nothing of it can have reached Consul. */
    static final class SentListener extends EventListener {
        volatile boolean headersStarted;

        @Override
        public void requestHeadersStart(Call call) {
            headersStarted = true;
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + message;
    }

    /** Built on first use: {@code create()} must not load TLS files for a configuration that may be invalid. */
    synchronized OkHttpClient client() throws BackendException {
        if (client == null) {
            OkHttpClient.Builder builder = new OkHttpClient.Builder()
                    .retryOnConnectionFailure(false)
                    .connectTimeout(config.requestTimeout())
                    .readTimeout(config.requestTimeout())
                    .writeTimeout(config.requestTimeout());
            if (config.tls().isPresent()) {
                try {
                    TlsSockets tls = TlsSockets.load(config.tls().get());
                    builder.sslSocketFactory(tls.socketFactory(), tls.trustManager());
                } catch (IOException | GeneralSecurityException e) {
                    throw BackendException.permanent("cannot load the TLS files for Consul: " + e.getMessage());
                }
            } else if (config.addresses().stream().noneMatch(HttpUrl::isHttps)) {
                // Without a TLS connection spec OkHttp does not set up the platform's trust manager,
                // 70-95 ms of every hook's start (docs/PERFORMANCE.md); https:// addresses keep it.
                builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
            }
            client = builder.build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
