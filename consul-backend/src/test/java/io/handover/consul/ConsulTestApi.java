package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tests' own view of one Consul server, through the JDK's HTTP client rather than the code
 * under test: what is registered, and ACL setup.
 */
final class ConsulTestApi {

    /** The tests read and write JSON with a full mapper, as a user's tool would; the backend has none. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String address;
    private final String token;

    ConsulTestApi(String address, String token) {
        this.address = address;
        this.token = token;
    }

    String get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    String put(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    String leader() throws IOException, InterruptedException {
        return MAPPER.readTree(get("status/leader")).asText();
    }

    /** The node names of the Raft voters, as the leader has them. */
    List<String> voters() throws IOException, InterruptedException {
        List<String> voters = new ArrayList<>();
        for (JsonNode server : MAPPER.readTree(get("operator/raft/configuration")).path("Servers")) {
            if (server.path("Voter").asBoolean()) {
                voters.add(Json.text(server, "Node"));
            }
        }
        return voters;
    }

    /** {@code address:port} of each instance, as this server's copy of the catalog has them (default consistency). */
    List<String> endpoints(String service) throws IOException, InterruptedException {
        List<String> endpoints = new ArrayList<>();
        for (JsonNode instance : MAPPER.readTree(get("catalog/service/" + service))) {
            endpoints.add(Json.text(instance, "ServiceAddress") + ":" + instance.path("ServicePort").asInt());
        }
        return endpoints;
    }

    /** Every key below {@code prefix} with its value, decoded; empty when there is none (Consul's 404). */
    Map<String, String> keys(String prefix) throws IOException, InterruptedException {
        Map<String, String> keys = new LinkedHashMap<>();
        HttpResponse<String> response = CLIENT.send(authorized(HttpRequest.newBuilder(uri("kv/" + prefix + "?recurse")).GET()),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return keys;
        }
        for (JsonNode entry : MAPPER.readTree(response.body())) {
            String value = Json.text(entry, "Value");
            keys.put(Json.text(entry, "Key"), new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** A new token granted exactly {@code rules} (HCL); returns its secret. */
    String createToken(String rules) throws IOException, InterruptedException {
        String policy = "handover-test-" + System.nanoTime();
        put("acl/policy", MAPPER.createObjectNode().put("Name", policy).put("Rules", rules).toString());
        return policyToken(null, policy);
    }

    /** Gives the anonymous token (used by DNS) read access to nodes and services, as a real setup must. */
    void allowAnonymousReads() throws IOException, InterruptedException {
        put("acl/policy", "{\"Name\":\"anonymous-read\",\"Rules\":\"node_prefix \\\"\\\" { policy = \\\"read\\\" }"
                + " service_prefix \\\"\\\" { policy = \\\"read\\\" }\"}");
        policyToken("00000000-0000-0000-0000-000000000002", "anonymous-read");
    }

    private String policyToken(String accessor, String policy) throws IOException, InterruptedException {
        var body = MAPPER.createObjectNode();
        body.putArray("Policies").addObject().put("Name", policy);
        String path = accessor == null ? "acl/token" : "acl/token/" + accessor;
        return Json.text(MAPPER.readTree(put(path, body.toString())), "SecretID");
    }

    private URI uri(String path) {
        return URI.create(address + "/v1/" + path);
    }

    private HttpRequest authorized(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(5));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        return request.build();
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(authorized(request), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(request.build().method() + " " + request.build().uri() + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
