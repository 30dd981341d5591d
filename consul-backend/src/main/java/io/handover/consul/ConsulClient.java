package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Printable;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few Consul calls handover makes, with Consul's answers turned into values or
 * {@link BackendException}s. Reads are {@code ?consistent}: docs/CONSUL.md records that {@code ?stale} reads
 * from a follower returning the old master 30 times out of 30 right after a write.
 */
final class ConsulClient {

    private final ConsulHttp http;
    private final boolean tokenConfigured;

    @Inject
    ConsulClient(ConsulHttp http, ConsulConfig config) {
        this.http = http;
        this.tokenConfigured = config.token().isPresent();
    }

    List<ServiceInstance> instances(String service, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.consistentGet("catalog/service/" + service,
                "service:read on \"" + service + "\" and node:read on its nodes");
        return Json.read(request, ok(request, deadline), ServiceInstance::parseAll);
    }

    /** The node's metadata, or empty if no such node is registered. */
    Optional<Map<String, String>> nodeMeta(String node, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.consistentGet("catalog/node/" + node, "node:read on \"" + node + "\"");
        return Json.read(request, ok(request, deadline), answer -> {
            if (answer.isNull()) {
                return Optional.empty(); // Consul 1.8.7's answer for a node it does not know
            }
            JsonNode found = Json.object(Json.object(answer, "a node and its services").path("Node"), "the Node object");
            // A name Consul does not know it looks up as a node ID prefix (cut to whole hex bytes: "db1" is
            // "db"), and answers the one node whose random ID starts so: not the node asked for.
            if (!node.equals(Json.string(found, "Node", "the Node object"))) {
                return Optional.empty();
            }
            return Optional.of(Json.strings(found, "Meta", "the Node object"));
        });
    }

    /**
     * The metadata of those of {@code nodes} that are registered, in one request (a filter; Consul
     * 1.8's filter strings take no escapes, so a name with a quote or backslash is asked alone).
     */
    Map<String, Map<String, String>> nodeMetas(List<String> nodes, Deadline deadline) throws BackendException {
        Map<String, Map<String, String>> metas = new LinkedHashMap<>();
        List<String> plain = nodes.stream().filter(node -> !node.contains("\"") && !node.contains("\\")).toList();
        for (String node : nodes) {
            if (!plain.contains(node)) {
                nodeMeta(node, deadline).ifPresent(meta -> metas.put(node, meta));
            }
        }
        if (plain.isEmpty()) {
            return metas;
        }
        String filter = String.join(" or ", plain.stream().map(node -> "Node == \"" + node + "\"").toList());
        ConsulRequest request = ConsulRequest.get("catalog/nodes", Map.of("filter", filter), "node:read on the cluster's hosts");
        metas.putAll(Json.read(request, ok(request, deadline), answer -> {
            Map<String, Map<String, String>> found = new LinkedHashMap<>();
            for (JsonNode node : Json.array(answer, "an array of nodes")) {
                String what = "node " + found.size();
                Json.object(node, what);
                found.put(Json.string(node, "Node", what), Json.strings(node, "Meta", what));
            }
            return found;
        }));
        return metas;
    }

    /** The values of {@code key} and every key below it; empty when there are none. */
    Map<String, String> keys(String key, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.get("kv/" + key, Map.of("recurse", "", "consistent", ""),
                "key:read on \"" + key + "\" and the keys below it");
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 404) {
            return new LinkedHashMap<>();
        }
        return Json.read(request, ok(request, response), answer -> {
            Map<String, String> values = new LinkedHashMap<>();
            for (JsonNode entry : Json.array(answer, "an array of keys")) {
                String what = "key " + values.size();
                String name = Json.string(Json.object(entry, what), "Key", what);
                if (!name.startsWith(key)) {
                    throw new Json.Unreadable(what + " (" + Printable.line(name, 100) + ") is not below the key asked for");
                }
                values.put(name, Json.base64Text(entry, "Value", what));
            }
            if (values.isEmpty()) {
                throw new Json.Unreadable("an empty array, which Consul never answers (it answers 404 when there is no key)");
            }
            return values;
        });
    }

    /** The leader's server address as this server sees it; "" while there is none. Never forwarded. */
    String leader(Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.get("status/leader", Map.of(), "nothing");
        return Json.read(request, ok(request, deadline), answer -> {
            if (!answer.isTextual()) {
                throw new Json.Unreadable(Json.kind(answer) + " where the leader's address (a string) belongs");
            }
            return answer.textValue();
        });
    }

    void apply(CatalogTransaction transaction, Deadline deadline) throws BackendException {
        String permissions = String.join(", ", transaction.rules().stream().map(AclRule::permission).toList());
        ConsulRequest request = ConsulRequest.put("txn", transaction.json(), permissions);
        ConsulResponse response = http.send(request, deadline);
        if (response.status() == 409) {
            throw rolledBack(request, response, transaction);
        }
        Json.read(request, ok(request, response), TxnAnswer::applied);
    }

    /**
     * The rules {@code probe} ({@link CatalogTransaction#aclProbe}) needs and the token lacks, every
     * one at once; empty if it has them all. Consul rolls the probe back either way.
     */
    List<AclRule> missingRules(CatalogTransaction probe, Deadline deadline) throws BackendException {
        ConsulRequest request = ConsulRequest.put("txn", probe.json(), "nothing: it is rolled back, and names what it lacks");
        ConsulResponse response = http.send(request, deadline);
        if (response.status() != 409) {
            ok(request, response);
            throw BackendException.permanent(request + " on " + response.server() + ": Consul applied a transaction of"
                    + " delete-cas operations at index 0, which it should have rolled back: " + response.shortBody());
        }
        List<AclRule> denied = new ArrayList<>();
        for (TxnAnswer.Error error : Json.read(request, response, answer -> TxnAnswer.errors(answer, probe.size()))) {
            AclRule rule = probe.rule(error.opIndex());
            if (error.what().contains("Permission denied") && !denied.contains(rule)) {
                denied.add(rule);
            }
        }
        return denied;
    }

    /** A 409: Consul checked every operation before applying any and lists those it refused. */
    private BackendException rolledBack(ConsulRequest request, ConsulResponse response, CatalogTransaction transaction)
            throws BackendException {
        List<AclRule> denied = new ArrayList<>();
        List<String> other = new ArrayList<>();
        String where = request + " on " + response.server();
        for (TxnAnswer.Error error : Json.read(request, response, answer -> TxnAnswer.errors(answer, transaction.size()))) {
            String what = Printable.line(error.what(), 200);
            int index = error.opIndex();
            Optional<CatalogTransaction.LockCheck> lock = transaction.lockCheckAt(index);
            if (lock.isPresent() && !what.contains("Permission denied")) {
                // never retried: the lock's next holder may be moving the master now
                return BackendException.permanent(where + ": Consul refused the write because " + lock.get().lock()
                        + " is no longer held by this handover's session " + lock.get().session() + " (" + what + "): the session"
                        + " expired or was destroyed, and another handover may be changing the master; nothing was changed");
            }
            if (what.contains("Permission denied") && !denied.contains(transaction.rule(index))) {
                denied.add(transaction.rule(index));
            } else if (!what.contains("Permission denied")) {
                other.add("operation " + index + ": " + what);
            }
        }
        if (!denied.isEmpty()) {
            return BackendException.permanent(where + ": permission denied; the token lacks "
                    + String.join(", ", denied.stream().map(AclRule::permission).toList())
                    + "; grant it: " + String.join(" ", denied.stream().map(AclRule::policy).toList())
                    + (tokenConfigured ? "" : ConsulErrors.noTokenHint()));
        }
        return BackendException.permanent(where + ": Consul rolled the transaction back: " + String.join("; ", other));
    }

    private ConsulResponse ok(ConsulRequest request, Deadline deadline) throws BackendException {
        return ok(request, http.send(request, deadline));
    }

    private ConsulResponse ok(ConsulRequest request, ConsulResponse response) throws BackendException {
        if (!response.ok()) {
            throw ConsulErrors.forStatus(request, response, tokenConfigured);
        }
        return response;
    }
}
