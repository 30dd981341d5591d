package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Consul's session and KV-lock calls, as the failover lock makes them (Consul 1.8's
 * {@code /v1/session} and {@code /v1/kv?acquire=} APIs, checked against a real 1.8.7).
 */
final class ConsulSessions {

    /** A lock key as Consul holds it: the session that holds it ("" if none) and its value. */
    record LockEntry(String session, String value) {}

    private static final Pattern SESSION_ID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
        return Json.read(request, ok(request, response),
                answer -> sessionId(Json.object(answer, "the new session"), "ID", "the new session"));
    }

    /** Marked external like the MySQL hosts' nodes: no agent, so nothing but an operator removes it. */
    private void register(String node, Deadline deadline) throws BackendException {
        ObjectNode body = Json.object().put("Node", node).put("Address", "127.0.0.1");
        body.putObject("NodeMeta").put(CatalogTransaction.EXTERNAL_NODE, "true").put("handover", "owns the failover lock sessions");
        ConsulRequest request = ConsulRequest.put("catalog/register", Json.write(body), AclRule.nodeWrite(node).needed());
        Json.read(request, ok(request, http.send(request, deadline)), ConsulSessions::done);
    }

    /** Extends the session by its TTL; false if Consul no longer knows it (it expired or was destroyed). */
    boolean renew(String node, String session, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.put("session/renew/" + session, "", AclRule.sessionWrite(node).needed());
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 404) {
            return false;
        }
        // the session as renewed: only its own ID says that this answer is about it
        return Json.read(request, ok(request, response), answer -> {
            JsonNode renewed = Json.object(Json.array(answer, "an array of the renewed session").path(0), "the renewed session");
            if (!session.equals(sessionId(renewed, "ID", "the renewed session"))) {
                throw new Json.Unreadable("the renewed session is another one");
            }
            return true;
        });
    }

    /** Ends the session; with {@code Behavior: delete} Consul deletes the keys it holds in the same write. Idempotent. */
    void destroy(String node, String session, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.put("session/destroy/" + session, "", AclRule.sessionWrite(node).needed());
        Json.read(request, ok(request, http.send(request, deadline)), ConsulSessions::done);
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
        if (response.status() == 409) {
            List<TxnAnswer.Error> errors = Json.read(request, response, answer -> TxnAnswer.errors(answer, operations.size()));
            if (errors.stream().noneMatch(error -> error.what().contains("Permission denied"))) {
                return false;
            }
        }
        Json.read(request, ok(request, response), TxnAnswer::applied);
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
        boolean taken = Json.read(request, ok(request, response), answer -> {
            if (!answer.isBoolean()) {
                throw new Json.Unreadable(Json.kind(answer) + " where true or false belongs");
            }
            return answer.booleanValue();
        });
        return taken ? Acquire.TAKEN : Acquire.REFUSED;
    }

    /** The key as the leader has it now, or empty if there is no such key. */
    Optional<LockEntry> read(String key, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.consistentGet("kv/" + key, AclRule.keyWrite(key).needed());
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(Json.read(request, ok(request, response), answer -> {
            // Consul answers 404 when there is no such key: an empty array would read as a free lock
            JsonNode entry = Json.object(Json.array(answer, "an array of the lock key").path(0), "the lock key's entry");
            if (!key.equals(Json.string(entry, "Key", "the lock key's entry"))) {
                throw new Json.Unreadable("the entry is another key than the lock's");
            }
            String session = Json.optionalString(entry, "Session", "the lock key's entry").isEmpty() ? ""
                    : sessionId(entry, "Session", "the lock key's entry");
            return new LockEntry(session, Json.base64Text(entry, "Value", "the lock key's entry"));
        }));
    }

    /**
     * The session ID in {@code field}: Consul's are UUIDs, and one that is not cannot be Consul's. It is
     * printed (lock, the hooks' refusals) and put in URLs, so nothing else is taken.
     */
    private static String sessionId(JsonNode object, String field, String what) throws Json.Unreadable {
        String id = Json.string(object, field, what);
        if (!SESSION_ID.matcher(id).matches()) {
            throw new Json.Unreadable(what + "'s " + field + " is not a session ID (a UUID)");
        }
        return id;
    }

    /** Consul's answer to a write that returns nothing else: {@code true}. */
    private static Void done(JsonNode answer) throws Json.Unreadable {
        if (!answer.isBoolean() || !answer.booleanValue()) {
            throw new Json.Unreadable(Json.kind(answer) + (answer.isBoolean() ? " false" : "") + " where true belongs");
        }
        return null;
    }

    private ConsulResponse ok(ConsulRequest request, ConsulResponse response) throws BackendException {
        if (!response.ok()) {
            throw ConsulErrors.forStatus(request, response, tokenConfigured);
        }
        return response;
    }
}
