package io.handover.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.handover.cli.Handover;
import io.handover.config.ClientEndpoint;
import io.handover.probe.EndpointResolver;
import io.handover.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox cluster as switchover and probe tests use it: the lab's own handover.conf, plus the
 * keys these commands need (replication account, client endpoint, probe database), in a file of
 * the test's own that includes it. Its journal and lock file are the test's own too.
 */
final class Lab {

    static final String DB1 = Sandbox.address("db1");
    static final String DB2 = Sandbox.address("db2");
    static final String DB3 = Sandbox.address("db3");
    /** Consul's DNS servers: c1..c3 on port 8600. */
    static final List<String> DNS = List.of(Sandbox.address("c1") + ":8600", Sandbox.address("c2") + ":8600",
            Sandbox.address("c3") + ":8600");

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path config;

    /** What one handover command line did. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** @param extra more HOCON inside {@code handover.clusters.sandbox { }} */
    Lab(Path directory, String extra) throws IOException {
        config = directory.resolve("handover.conf");
        Files.writeString(config, """
                include file("%s")
                handover.clusters.sandbox {
                  # The lab's replication account (sandbox/sandbox creates it).
                  replication { user = "repl", password = "repl-secret" }
                  switchover { max-candidate-lag = 5s, catch-up-timeout = 20s }
                  client-endpoint { name = "sandbox-master.service.consul", dns = [%s] }
                  probe { database = "handover_probe" }
                  %s
                }
                """.formatted(Sandbox.config(), String.join(", ", DNS.stream().map(dns -> "\"" + dns + "\"").toList()), extra));
    }

    /**
     * Names the lock backend: required once a second backend that can hold a lock is configured (the
     * recording backend beside the lab's Consul).
     */
    Lab withLockBackend(String backend) throws IOException {
        Files.writeString(config, "handover.lock.backend = " + backend + "\n", java.nio.file.StandardOpenOption.APPEND);
        return this;
    }

    Run handover(String... args) {
        return handover(Map.of(), args);
    }

    Run handover(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = new HashMap<>(environment);
        env.put("HANDOVER_CONFIG", config.toString());
        int code = Handover.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(code, out.toString(), err.toString());
    }

    /** Fresh data, db1 master, and Consul sending clients to it. */
    void reset() {
        Sandbox.run("reset");
        Run register = handover("register", "--cluster", "sandbox");
        assertThat(register.exitCode()).as(register.toString()).isZero();
    }

    /** {@code status --json} without what changes by itself (timings, lag): for before/after comparisons. */
    JsonNode state() throws IOException {
        JsonNode cluster = JSON.readTree(handover("status", "--json", "--cluster", "sandbox").out()).get("clusters").get(0);
        ObjectNode copy = cluster.deepCopy();
        copy.remove("problems");
        for (JsonNode host : copy.get("hosts")) {
            ((ObjectNode) host).remove("elapsedMs");
            if (host.hasNonNull("replication")) {
                ((ObjectNode) host.get("replication")).remove("lagSeconds");
            }
        }
        return copy;
    }

    /** Host name -> where it replicates from ({@code -} for none), from {@code status --json}. */
    Map<String, String> sources() throws IOException {
        Map<String, String> sources = new HashMap<>();
        for (JsonNode host : state().get("hosts")) {
            JsonNode replication = host.get("replication");
            sources.put(host.get("name").asText(), replication == null || replication.isNull() ? "-"
                    : replication.get("sourceHost").asText() + " " + replication.get("ioRunning").asText() + "/"
                            + replication.get("sqlRunning").asText() + (replication.get("gtid").asBoolean() ? " gtid" : " file/pos"));
        }
        return sources;
    }

    String master() throws IOException {
        return state().get("master").asText();
    }

    /** What each Consul DNS server answers for the client endpoint now. */
    static List<List<String>> dnsAnswers() throws Exception {
        List<ClientEndpoint.DnsServer> servers = DNS.stream().map(dns -> new ClientEndpoint.DnsServer(dns.split(":")[0],
                Integer.parseInt(dns.split(":")[1]))).toList();
        EndpointResolver resolver = new EndpointResolver(new ClientEndpoint("sandbox-master.service.consul", 3306, servers));
        List<List<String>> answers = new ArrayList<>();
        for (ClientEndpoint.DnsServer server : servers) {
            answers.add(resolver.ask(server).addresses());
        }
        return answers;
    }
}
