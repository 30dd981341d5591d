package io.handover.consul;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A fault-injecting HTTP/1.1 proxy on 127.0.0.1 for tests: put it between the code under test and
 * one upstream server (a Consul server's HTTP address), then choose per request what happens. Each
 * request is read whole, then, by the first rule whose predicate matches its request line
 * ({@code PUT /v1/session/destroy/<id>?dc=it-1 HTTP/1.1}), or else the default fault:
 * <ul>
 * <li>{@link Fault#pass()} forwards it and copies the answer back;
 * <li>{@link Fault#stall()} never answers and never forwards: the connection stays open until the proxy closes;
 * <li>{@link Fault#reset()} resets the connection (TCP RST) without forwarding: nothing was applied;
 * <li>{@link Fault#resetAfterForwarding()} forwards it, then resets: applied, but the answer is lost;
 * <li>{@link Fault#status(int, String)} answers that status and body without forwarding;
 * <li>{@link Fault#slowBody(Duration)} forwards it and sends the answer's body one byte per pause;
 * <li>{@link Fault#endlessBody(int, Duration, long)} answers 200 without forwarding and sends a body that never
 *     ends, as a broken proxy may: {@code [} and then spaces, a chunk per pause, until the client hangs up.
 * </ul>
 * Every connection carries one request ({@code Connection: close} both ways), so that a fault hits
 * exactly the request it was chosen for. The proxy never touches a process: closing it closes its
 * own sockets only. Chunked request bodies are not supported (neither OkHttp nor the JDK client
 * sends them for a body of known length).
 */
final class FaultProxy implements AutoCloseable {

    /** What happens to one request. */
    sealed interface Fault {
        static Fault pass() {
            return Pass.INSTANCE;
        }

        static Fault stall() {
            return Stall.INSTANCE;
        }

        static Fault reset() {
            return new Reset(false);
        }

        static Fault resetAfterForwarding() {
            return new Reset(true);
        }

        static Fault status(int status, String body) {
            return new Status(status, body);
        }

        static Fault slowBody(Duration perByte) {
            return new SlowBody(perByte);
        }

        /** @param contentLength what the answer's Content-Length says, or -1 for none (the body ends when the connection does) */
        static Fault endlessBody(int chunkBytes, Duration pause, long contentLength) {
            return new EndlessBody(chunkBytes, pause, contentLength);
        }
    }

    private enum Pass implements Fault { INSTANCE }

    private enum Stall implements Fault { INSTANCE }

    private record Reset(boolean forwardFirst) implements Fault {}

    private record Status(int status, String body) implements Fault {}

    private record SlowBody(Duration perByte) implements Fault {}

    private record EndlessBody(int chunkBytes, Duration pause, long contentLength) implements Fault {}

    private record Rule(Predicate<String> requestLine, Fault fault) {}

    /** One request the proxy saw, and what it did with it. */
    record Seen(String requestLine, Fault fault) {}

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Fault fallback = Fault.pass();
    private volatile boolean closed;

    private FaultProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** A proxy to {@code upstream} ({@code http://127.0.0.1:8500}) on a free loopback port, passing everything. */
    static FaultProxy start(String upstream) throws IOException {
        URI uri = URI.create(upstream);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        FaultProxy proxy = new FaultProxy(server, new InetSocketAddress(uri.getHost(), uri.getPort()));
        Thread acceptor = new Thread(proxy::acceptUntilClosed, "fault proxy :" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** {@code http://127.0.0.1:<port>}, for a backend's {@code addresses}. */
    String address() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** What every request gets that no rule matches. */
    FaultProxy fault(Fault fault) {
        this.fallback = fault;
        return this;
    }

    /** {@code fault} for requests whose request line contains {@code text}; rules added earlier win. */
    FaultProxy fault(String text, Fault fault) {
        return fault(line -> line.contains(text), fault);
    }

    FaultProxy fault(Predicate<String> requestLine, Fault fault) {
        rules.add(new Rule(requestLine, fault));
        return this;
    }

    /** Back to passing everything. Stalled connections stay stalled. */
    FaultProxy clear() {
        rules.clear();
        fallback = Fault.pass();
        return this;
    }

    /** Every request seen so far, in arrival order. */
    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** How many requests whose request line contains {@code text} were seen. */
    long count(String text) {
        return seen.stream().filter(request -> request.requestLine().contains(text)).count();
    }

    private void acceptUntilClosed() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread handler = new Thread(() -> handle(client), "fault proxy connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy: accept failed: " + e);
                }
            }
        }
    }

    private void handle(Socket client) {
        boolean keepOpen = false;
        try {
            client.setSoTimeout(30_000);
            Request request = Request.read(client.getInputStream());
            if (request == null) {
                return;
            }
            Fault fault = choose(request.line());
            seen.add(new Seen(request.line(), fault));
            OutputStream out = client.getOutputStream();
            if (fault instanceof Stall) {
                keepOpen = true; // closed by close()
            } else if (fault instanceof Reset reset) {
                if (reset.forwardFirst()) {
                    forward(request);
                }
                client.setSoLinger(true, 0);
            } else if (fault instanceof Status status) {
                byte[] body = status.body().getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status.status() + " Injected\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } else if (fault instanceof SlowBody slow) {
                byte[] answer = forward(request);
                int split = headEnd(answer);
                out.write(answer, 0, split);
                out.flush();
                for (int i = split; i < answer.length; i++) {
                    Thread.sleep(slow.perByte().toMillis());
                    out.write(answer[i]);
                    out.flush();
                }
            } else if (fault instanceof EndlessBody endless) {
                String length = endless.contentLength() < 0 ? "" : "Content-Length: " + endless.contentLength() + "\r\n";
                out.write(("HTTP/1.1 200 Injected\r\nContent-Type: application/json\r\n" + length + "Connection: close\r\n\r\n[")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = " ".repeat(endless.chunkBytes()).getBytes(StandardCharsets.US_ASCII);
                while (!closed) { // until the client hangs up: the write then fails
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(endless.pause().toMillis());
                }
            } else {
                out.write(forward(request));
                out.flush();
            }
        } catch (IOException e) {
            // the client gave up (its timeout) or the proxy closed: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!keepOpen) {
                open.remove(client);
                closeQuietly(client);
            }
        }
    }

    private Fault choose(String requestLine) {
        for (Rule rule : rules) {
            if (rule.requestLine().test(requestLine)) {
                return rule.fault();
            }
        }
        return fallback;
    }

    /** Sends the request upstream on a connection of its own and returns the whole answer. */
    private byte[] forward(Request request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(upstream, 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.head().getBytes(StandardCharsets.ISO_8859_1));
            out.write(request.body());
            out.flush();
            return socket.getInputStream().readAllBytes();
        }
    }

    private static int headEnd(byte[] answer) {
        for (int i = 0; i + 3 < answer.length; i++) {
            if (answer[i] == '\r' && answer[i + 1] == '\n' && answer[i + 2] == '\r' && answer[i + 3] == '\n') {
                return i + 4;
            }
        }
        return answer.length;
    }

    /** A request as read from the client, its head rewritten to {@code Connection: close}. */
    private record Request(String line, String head, byte[] body) {

        static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            List<String> lines = new ArrayList<>(List.of(head.toString(StandardCharsets.ISO_8859_1).split("\r\n")));
            String requestLine = lines.remove(0);
            int length = 0;
            StringBuilder rewritten = new StringBuilder(requestLine).append("\r\n");
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
                } else if (lower.startsWith("transfer-encoding:")) {
                    throw new IOException("fault proxy: chunked request bodies are not supported");
                }
                if (!lower.startsWith("connection:") && !lower.startsWith("keep-alive:") && !line.isEmpty()) {
                    rewritten.append(line).append("\r\n");
                }
            }
            rewritten.append("Connection: close\r\n\r\n");
            return new Request(requestLine, rewritten.toString(), in.readNBytes(length));
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing our own socket
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing our own socket
        }
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
    }
}
