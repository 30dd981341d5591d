package io.handover.consul;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A real Consul cluster of 1 or 3 servers on 127.0.0.1, each with its own ports and data, for the
 * integration tests. {@code raft_multiplier = 1} elects a leader in under 2 s (docs/CONSUL.md). It can
 * kill -9 a server and start it again; it stops only the processes it started.
 *
 * @see ConsulTestSetup for ACLs and TLS
 */
final class ConsulTestCluster implements AutoCloseable {

    private final List<ConsulTestServer> servers;
    private final Path directory;
    private final ConsulTestSetup setup;
    private final Thread killOnExit;

    private ConsulTestCluster(List<ConsulTestServer> servers, Path directory, ConsulTestSetup setup) {
        this.servers = servers;
        this.directory = directory;
        this.setup = setup;
        this.killOnExit = new Thread(this::killAll, "kill test Consul servers");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static ConsulTestCluster start(ConsulTestSetup setup) throws Exception {
        Path binary = ConsulBinary.locate();
        Path directory = Files.createDirectories(Path.of("target", "consul-it")).toAbsolutePath()
                .resolve(setup.name() + "-" + System.currentTimeMillis());
        Files.createDirectories(directory);
        setup.prepare(binary, directory);
        List<ConsulTestServer.Ports> ports = new ArrayList<>();
        int[] free = FreePorts.allocate(6 * setup.servers());
        for (int i = 0; i < setup.servers(); i++) {
            ports.add(new ConsulTestServer.Ports(free[6 * i], free[6 * i + 1], free[6 * i + 2], free[6 * i + 3], free[6 * i + 4], free[6 * i + 5]));
        }
        List<ConsulTestServer> servers = new ArrayList<>();
        for (int i = 0; i < setup.servers(); i++) {
            String name = "consul-" + (i + 1);
            ObjectNode config = setup.serverConfig(name, directory.resolve(name + "-data"), ports.get(i), ports);
            Path configFile = directory.resolve(name + ".json");
            Files.writeString(configFile, config.toPrettyString());
            servers.add(new ConsulTestServer(binary, name, ports.get(i), configFile, directory.resolve(name + ".log")));
        }
        ConsulTestCluster cluster = new ConsulTestCluster(List.copyOf(servers), directory, setup);
        try {
            for (ConsulTestServer server : servers) {
                server.start();
            }
            cluster.awaitLeader(Duration.ofSeconds(30));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    List<ConsulTestServer> servers() {
        return servers;
    }

    ConsulTestServer server(int index) {
        return servers.get(index);
    }

    ConsulTestSetup setup() {
        return setup;
    }

    /** A file that {@code consul tls} wrote for a TLS setup: {@code consul-agent-ca.pem}, {@link ConsulTestSetup#certificate} */
    Path tlsFile(String name) {
        return directory.resolve("tls").resolve(name);
    }

    /** Raw HTTP to one server, with the ACL master token if there is one. */
    ConsulTestApi api(int index) {
        return new ConsulTestApi(server(index).httpAddress(), setup.masterToken());
    }

    /** The index of the server that leads now. */
    int leader() throws Exception {
        for (int i = 0; i < servers.size(); i++) {
            if (server(i).running()) {
                String leader = api(i).leader();
                for (int j = 0; j < servers.size(); j++) {
                    if (server(j).raftAddress().equals(leader)) {
                        return j;
                    }
                }
            }
        }
        throw new IllegalStateException("no server knows a leader");
    }

    void kill(int index) throws InterruptedException {
        server(index).kill();
    }

    void restart(int index) throws Exception {
        server(index).start();
        awaitLeader(Duration.ofSeconds(30));
    }

    /**
     * Waits until every running server knows the same leader, answers a consistent read (and the
     * ACL API), and votes. Autopilot removes a killed server from Raft ~10 s after the kill; started
     * again it rejoins as a non-voter for 10 s, and killing the leader meanwhile would leave no quorum.
     */
    void awaitLeader(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String lastProblem = "";
        while (System.nanoTime() < end) {
            Optional<String> problem = notReady();
            if (problem.isEmpty()) {
                return;
            }
            lastProblem = problem.get();
            Thread.sleep(50);
        }
        throw new IllegalStateException("Consul servers not ready within " + timeout + ": " + lastProblem + "; logs in " + directory);
    }

    private Optional<String> notReady() {
        List<String> leaders = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            if (!server(i).running()) {
                continue;
            }
            try {
                String leader = api(i).leader();
                api(i).get("catalog/nodes?consistent");
                if (setup.masterToken() != null) {
                    // Consul 1.8 starts ACLs in legacy mode and leaves it only after electing a leader
                    api(i).get("acl/policies");
                }
                leaders.add(leader);
            } catch (Exception e) {
                return Optional.of(server(i) + ": " + e.getMessage());
            }
        }
        boolean agreed = !leaders.isEmpty() && !leaders.get(0).isEmpty() && leaders.stream().distinct().count() == 1;
        return agreed ? nonVoters() : Optional.of("leaders seen: " + leaders);
    }

    private Optional<String> nonVoters() {
        try {
            List<String> voters = api(servers.indexOf(servers.stream().filter(ConsulTestServer::running).findFirst().orElseThrow())).voters();
            List<String> missing = servers.stream().filter(ConsulTestServer::running).map(ConsulTestServer::name).filter(n -> !voters.contains(n)).toList();
            return missing.isEmpty() ? Optional.empty() : Optional.of("not voting yet: " + missing);
        } catch (Exception e) {
            return Optional.of("raft configuration: " + e.getMessage());
        }
    }

    /** {@code handover.backends.consul { ... }} pointing at every server's HTTP and DNS port. */
    String backendConfig(String... extraLines) {
        String addresses = servers.stream().map(s -> "\"" + s.httpAddress() + "\"").collect(Collectors.joining(", "));
        String dns = servers.stream().map(s -> "\"" + s.dnsEndpoint() + "\"").collect(Collectors.joining(", "));
        return "handover.backends.consul {\n  addresses = [" + addresses + "]\n  dns = [" + dns + "]\n"
                + String.join("\n", extraLines) + "\n}\n";
    }

    private void killAll() {
        for (ConsulTestServer server : servers) {
            try {
                server.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws IOException {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        for (ConsulTestServer server : servers) {
            deleteTree(directory.resolve(server.name() + "-data"));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
