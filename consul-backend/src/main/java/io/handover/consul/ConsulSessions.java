package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Consul's session and KV-lock calls, as the failover lock makes them (Consul 1.8's
 * {@code /v1/session} and {@code /v1/kv?acquire=} APIs, checked against a real 1.8.7).
 */
final class ConsulSessions {

    /** A lock key as Consul holds it: the session that holds it ("" if none) and its value. */
    record LockEntry(String session, String value) {}

    private final ConsulHttp http;
    private final boolean tokenConfigured;

    @Inject
    ConsulSessions(ConsulHttp http, ConsulConfig config) {
        this.http = http;
        this.tokenConfigured = config.token().isPresent();
    }

    /**
     * A new session on {@code node} that only its TTL keeps alive, registering the node through
     * the catalog (agent-less) the first time. Every session belongs to a node and dies with it.
     * By default that is the node of the server that answers, and measured on 1.8.7: 10 s after a
     * server is killed, autopilot removes it, its node is deregistered and the lock is gone in
     * mid-failover. {@code NodeChecks: []} drops the default serfHealth check, which an agent-less
     * node does not have. {@code LockDelay: 0s}: Consul's default refuses a key for 15 s after its
     * session ends, so that a holder cut off from Consul has time to notice and stop. handover's
     * holder cannot notice (nothing tells it mid-failover), and a crashed holder's lock frees only
     * after its TTL has run out anyway: 15 s more would only keep the next MHA hook out longer.
     */
    String create(String node, String name, String ttl, Deadline deadline) throws BackendException {
        String body = Json.write(Json.object().put("Node", node).put("Name", name).put("TTL", ttl).put("Behavior", "delete")
                .put("LockDelay", "0s").set("NodeChecks", Json.array()));
        ConsulRequest request = ConsulRequest.put("session/create", body, AclRule.sessionWrite(node).needed());
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 500 && response.body().contains("Missing node registration")) {
            register(node, deadline);
            response = http.send(request, deadline);
        }
        return Json.text(Json.parse(request, ok(request, response)), "ID");
    }

    /** Marked external like the MySQL hosts' nodes: no agent, so nothing but an operator removes it. */
    private void register(String node, Deadline deadline) throws BackendException {
        ObjectNode body = Json.object().put("Node", node).put("Address", "127.0.0.1");
        body.putObject("NodeMeta").put(CatalogTransaction.EXTERNAL_NODE, "true").put("handover", "owns the failover lock sessions");
        ConsulRequest request = ConsulRequest.put("catalog/register", Json.write(body), AclRule.nodeWrite(node).needed());
        ok(request, http.send(request, deadline));
    }

    /** Extends the session by its TTL; false if Consul no longer knows it (it expired or was destroyed). */
    boolean renew(String node, String session, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.put("session/renew/" + session, "", AclRule.sessionWrite(node).needed());
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 404) {
            return false;
        }
        ok(request, response);
        return true;
    }

    /** Ends the session; with {@code Behavior: delete} Consul deletes the keys it holds in the same write. Idempotent. */
    void destroy(String node, String session, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.put("session/destroy/" + session, "", AclRule.sessionWrite(node).needed());
        ok(request, http.send(request, deadline));
    }

    /**
     * Deletes {@code key} if {@code session} still holds it, in one transaction: the lock is free
     * the moment this is applied, whatever then happens to the session's destroy, and with no
     * lock-delay (Consul applies lock-delay only when a session is invalidated, not to a key its
     * holder deletes). False if the session no longer holds the key (it expired, or was destroyed),
     * which then is left as it is: it may be someone else's by now.
     */
    boolean release(String key, String session, Deadline deadline) throws BackendException {
        var operations = Json.array();
        operations.addObject().putObject("KV").put("Verb", "check-session").put("Key", key).put("Session", session);
        operations.addObject().putObject("KV").put("Verb", "delete").put("Key", key);
        ConsulRequest request = ConsulRequest.put("txn", Json.write(operations), AclRule.keyWrite(key).needed());
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 409 && !response.body().contains("Permission denied")) {
            return false;
        }
        ok(request, response);
        return true;
    }

    /** What an acquire did. */
    enum Acquire {
        TAKEN,
        /** Another session holds the key, or Consul's lock-delay of a session that held it has not passed. */
        REFUSED,
        /** Consul no longer knows the session: it expired before the key was taken. */
        SESSION_GONE
    }

    /** Takes {@code key} for {@code session} and sets its value. Idempotent: the holding session may acquire again. */
    Acquire acquire(String key, String session, String value, Deadline deadline) throws BackendException {
        ConsulRequest request = new ConsulRequest("PUT", "kv/" + key, Map.of("acquire", session), value, AclRule.keyWrite(key).needed());
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 500 && response.body().contains("invalid session")) {
            return Acquire.SESSION_GONE;
        }
        return Json.parse(request, ok(request, response)).asBoolean() ? Acquire.TAKEN : Acquire.REFUSED;
    }

    /** The key as the leader has it now, or empty if there is no such key. */
    Optional<LockEntry> read(String key, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.consistentGet("kv/" + key, AclRule.keyWrite(key).needed());
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 404) {
            return Optional.empty();
        }
        JsonNode entry = Json.parse(request, ok(request, response)).path(0);
        String value = Json.text(entry, "Value");
        return Optional.of(new LockEntry(Json.text(entry, "Session"),
                new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    }

    private ConsulResponse ok(ConsulRequest request, ConsulResponse response) throws BackendException {
        if (!response.ok()) {
            throw ConsulErrors.forStatus(request, response, tokenConfigured);
        }
        return response;
    }
}
