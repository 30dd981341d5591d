package io.handover.awsroute;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A moto server (EC2 API) on a free loopback port, started by the tests with the moto that
 * {@code sandbox/moto install} unpacked into the repository's {@code .tools/moto} (CI runs it through
 * sandbox/run-tests), and stopped by its own process handle. Without it the tests that need it are
 * skipped, visibly: JUnit reports them skipped with the command that installs it.
 */
public final class Moto implements AutoCloseable {

    static final String PROPERTY = "handover.moto.dir";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private Moto(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The site-packages directory that holds moto, or a skipped test. */
    public static Path sitePackages() {
        String configured = System.getProperty(PROPERTY);
        Path tools = configured != null ? Path.of(configured) : repositoryRoot().resolve(".tools/moto");
        Path site = tools.resolve("usr/lib/python3/dist-packages");
        boolean installed = Files.isDirectory(site.resolve("moto")) && Files.isExecutable(PYTHON);
        if (!installed) {
            System.err.println("SKIPPED: no moto in " + tools + ": run sandbox/moto install from the repository root (sandbox/run-tests does)");
        }
        Assumptions.assumeTrue(installed, "no moto in " + tools + ": run sandbox/moto install from the repository root"
                + " (sandbox/run-tests does), or point -D" + PROPERTY + "= at a directory it unpacked");
        return site;
    }

    public static Moto start() throws IOException, InterruptedException {
        Path site = sitePackages();
        int port = freePort();
        Path log = Path.of("target", "moto-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(List.of(PYTHON.toString(), "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("PYTHONPATH", site.toString());
        Moto moto = new Moto(builder.start(), port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!moto.answers()) {
            if (!moto.process.isAlive() || System.nanoTime() > deadline) {
                moto.close();
                throw new IllegalStateException("moto did not answer on 127.0.0.1:" + port + " within 30 s; see " + log);
            }
            Thread.sleep(50);
        }
        return moto;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Forgets every VPC, route table and interface. */
    void reset() throws IOException, InterruptedException {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("moto reset answered HTTP " + response.statusCode());
        }
    }

    private boolean answers() {
        try {
            return HTTP.send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the server this object started, by its own process handle. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "moto on " + endpoint() + " (log " + log + ")";
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** The directory that holds this module: the build runs tests in the module's own directory. */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("aws-route-backend/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No aws-route-backend/pom.xml above " + start + ": run the tests from the repository");
    }
}
