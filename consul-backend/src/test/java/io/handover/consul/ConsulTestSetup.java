package io.handover.consul;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What kind of test cluster to start, and each server's configuration file (Consul 1.8 syntax).
 *
 * @param name a directory name under {@code target/consul-it}
 * @param servers 3, or 1 for the TLS test
 * @param masterToken the ACL master token when ACLs are on (default deny), else null
 * @param tls whether servers also serve HTTPS, requiring client certificates
 * @param datacenter unique per cluster, and gossip is encrypted with a key of its own: a Consul
 *     agent elsewhere on the machine that still knows a server at a port this cluster now uses
 *     (its RPC needs no gossip join) cannot write into it. One run saw a foreign node "db1" appear.
 */
record ConsulTestSetup(String name, int servers, String masterToken, boolean tls, String datacenter) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static ConsulTestSetup plain(String name) {
        return new ConsulTestSetup(name, 3, null, false, uniqueDatacenter());
    }

    static ConsulTestSetup withAcl(String name) {
        return new ConsulTestSetup(name, 3, UUID.randomUUID().toString(), false, uniqueDatacenter());
    }

    static ConsulTestSetup withTls(String name) {
        return new ConsulTestSetup(name, 1, null, true, uniqueDatacenter());
    }

    private static String uniqueDatacenter() {
        return "it-" + Long.toHexString(RANDOM.nextLong() & 0xffffffffL);
    }

    /** A file {@code consul tls cert create} wrote: {@code <dc>-client-consul-0.pem} and the like. */
    String certificate(String role, String suffix) {
        return datacenter + "-" + role + "-consul-0" + suffix + ".pem";
    }

    /** Creates a CA and certificates with Consul's own tool, as an operator would. */
    void prepare(Path binary, Path directory) throws IOException, InterruptedException {
        if (!tls) {
            return;
        }
        Path tlsDirectory = Files.createDirectories(directory.resolve("tls"));
        run(binary, tlsDirectory, "tls", "ca", "create");
        run(binary, tlsDirectory, "tls", "cert", "create", "-server", "-dc=" + datacenter);
        run(binary, tlsDirectory, "tls", "cert", "create", "-client", "-dc=" + datacenter);
    }

    ObjectNode serverConfig(String node, Path dataDirectory, ConsulTestServer.Ports own, List<ConsulTestServer.Ports> all) {
        ObjectNode config = ConsulTestApi.MAPPER.createObjectNode()
                .put("node_name", node).put("datacenter", datacenter).put("data_dir", dataDirectory.toString())
                .put("server", true).put("bootstrap_expect", servers)
                .put("bind_addr", "127.0.0.1").put("advertise_addr", "127.0.0.1").put("client_addr", "127.0.0.1")
                .put("disable_update_check", true).put("disable_host_node_id", true).put("log_level", "DEBUG")
                .put("retry_interval", "1s").put("encrypt", gossipKey());
        config.putObject("performance").put("raft_multiplier", 1);
        config.putObject("ports").put("http", own.http()).put("https", tls ? own.https() : -1).put("dns", own.dns())
                .put("serf_lan", own.serfLan()).put("serf_wan", own.serfWan()).put("server", own.server()).put("grpc", -1);
        ArrayNode join = config.putArray("retry_join");
        all.stream().filter(ports -> ports != own).forEach(ports -> join.add("127.0.0.1:" + ports.serfLan()));
        if (masterToken != null) {
            config.put("primary_datacenter", datacenter);
            ObjectNode acl = config.putObject("acl").put("enabled", true).put("default_policy", "deny")
                    .put("down_policy", "extend-cache");
            acl.putObject("tokens").put("master", masterToken).put("agent", masterToken);
        }
        if (tls) {
            Path tlsDirectory = dataDirectory.getParent().resolve("tls");
            config.put("ca_file", tlsDirectory.resolve("consul-agent-ca.pem").toString())
                    .put("cert_file", tlsDirectory.resolve(certificate("server", "")).toString())
                    .put("key_file", tlsDirectory.resolve(certificate("server", "-key")).toString())
                    .put("verify_incoming_https", true);
        }
        return config;
    }

    /** The same for every server of one cluster: derived from the datacenter, which is unique. */
    private String gossipKey() {
        byte[] key = new byte[32];
        new java.util.Random(datacenter.hashCode()).nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void run(Path binary, Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
