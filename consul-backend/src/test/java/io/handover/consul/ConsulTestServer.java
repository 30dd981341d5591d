package io.handover.consul;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One Consul server process on 127.0.0.1 with its own ports, data directory and log. Only the
 * process this object started is ever killed, through its handle.
 */
final class ConsulTestServer {

    record Ports(int http, int https, int dns, int serfLan, int serfWan, int server) {}

    private final Path binary;
    private final String name;
    private final Ports ports;
    private final Path configFile;
    private final Path logFile;
    private Process process;

    ConsulTestServer(Path binary, String name, Ports ports, Path configFile, Path logFile) {
        this.binary = binary;
        this.name = name;
        this.ports = ports;
        this.configFile = configFile;
        this.logFile = logFile;
    }

    synchronized void start() throws IOException {
        if (running()) {
            throw new IllegalStateException(name + " is already running");
        }
        process = new ProcessBuilder(binary.toString(), "agent", "-config-file=" + configFile)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
    }

    /** kill -9: no leave, no graceful leadership transfer, as when a machine dies. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within 10 s");
            }
        }
    }

    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    Ports ports() {
        return ports;
    }

    String httpAddress() {
        return "http://127.0.0.1:" + ports.http();
    }

    String httpsAddress() {
        return "https://127.0.0.1:" + ports.https();
    }

    String dnsEndpoint() {
        return "127.0.0.1:" + ports.dns();
    }

    /** How {@code /v1/status/leader} names this server. */
    String raftAddress() {
        return "127.0.0.1:" + ports.server();
    }

    Path logFile() {
        return logFile;
    }

    @Override
    public String toString() {
        return name + (process != null ? " (pid " + process.pid() + ")" : "");
    }
}
