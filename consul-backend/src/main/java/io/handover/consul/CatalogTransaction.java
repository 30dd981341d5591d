package io.handover.consul;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.handover.api.Host;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations of one {@code PUT /v1/txn}, which Consul applies all or none of: a switch never
 * shows two masters, or none, in between (docs/CONSUL.md: deregister-then-register leaves followers
 * answering NXDOMAIN, register-then-deregister answers both). Each operation keeps the ACL rule it
 * needs, because Consul reports a denial only as the index of the operation.
 */
final class CatalogTransaction {

    static final String EXTERNAL_NODE = "external-node";
    static final String EXTERNAL_PROBE = "external-probe";

    private final ArrayNode operations = Json.array();
    private final List<AclRule> rules = new ArrayList<>();
    /**
     * A lock key that a session must still hold for the transaction to apply.
     *
     * @param lock how to name the lock in a message: {@code the failover lock of cluster main (Consul key handover/lock/main)}
     */
    record LockCheck(String key, String session, String lock) {}

    /** What the first operation checks, or null. */
    private LockCheck lockCheck;

    /**
     * Makes {@code master} the only instance of {@code service}: ensures its agent-less node, deletes
     * every other instance, registers it, and publishes {@code keys} (may be empty).
     */
    static CatalogTransaction activation(String service, Host master, List<ServiceInstance> current, Map<String, String> keys) {
        CatalogTransaction transaction = new CatalogTransaction().setNode(master);
        for (ServiceInstance instance : removedByActivation(service, master, current)) {
            transaction.deleteService(instance.node(), instance.serviceId(), service);
        }
        transaction.setService(master, service);
        if (!keys.isEmpty()) {
            // the first key names the master, the others are below it: one key_prefix rule covers all
            AclRule rule = AclRule.keyPrefixWrite(keys.keySet().iterator().next());
            keys.forEach((key, value) -> transaction.setKey(key, value, rule));
        }
        return transaction;
    }

    /** The instances of {@code current} that {@link #activation} deletes: all but {@code master}'s own, whatever their address. */
    static List<ServiceInstance> removedByActivation(String service, Host master, List<ServiceInstance> current) {
        return current.stream()
                .filter(instance -> !instance.node().equals(master.name()) || !instance.serviceId().equals(service))
                .toList();
    }

    /**
     * Asks Consul whether the token may do what a failover to any of {@code candidates} writes
     * (their nodes, the service, the KV keys), without changing anything: Consul checks every
     * operation's ACL before applying any and names each one it denies, and every operation here
     * is a {@code delete-cas} at index 0, which no existing entry has, so the transaction always
     * rolls back (an absent node or service fails the same way; an absent key is nothing to delete).
     */
    static CatalogTransaction aclProbe(String service, List<Host> candidates, Map<String, String> keys) {
        CatalogTransaction probe = new CatalogTransaction();
        for (Host host : candidates) {
            probe.add("Node", operation("delete-cas").set("Node", Json.object().put("Node", host.name())
                    .put("ModifyIndex", 0)), AclRule.nodeWrite(host.name()));
        }
        ObjectNode instance = operation("delete-cas").put("Node", candidates.get(0).name());
        instance.putObject("Service").put("ID", service).put("Service", service).put("ModifyIndex", 0);
        probe.add("Service", instance, AclRule.serviceWrite(service));
        if (!keys.isEmpty()) {
            AclRule rule = AclRule.keyPrefixWrite(keys.keySet().iterator().next());
            keys.keySet().forEach(key -> probe.add("KV", operation("delete-cas").put("Key", key).put("Index", 0), rule));
        }
        return probe;
    }

    /** Deletes the given instances of {@code service}. */
    static CatalogTransaction release(String service, List<ServiceInstance> instances) {
        CatalogTransaction transaction = new CatalogTransaction();
        instances.forEach(instance -> transaction.deleteService(instance.node(), instance.serviceId(), service));
        return transaction;
    }

    /**
     * Registers the host as a node no agent owns. {@code external-node} tells Consul (and ESM) that
     * no agent will sync it, so anti-entropy leaves the entry alone; {@code external-probe = false}
     * asks consul-esm not to ping a MySQL host it knows nothing about.
     */
    CatalogTransaction setNode(Host host) {
        ObjectNode node = Json.object().put("Node", host.name()).put("Address", host.address());
        node.putObject("Meta").put(EXTERNAL_NODE, "true").put(EXTERNAL_PROBE, "false");
        return add("Node", operation("set").set("Node", node), AclRule.nodeWrite(host.name()));
    }

    /** Consul checks service:write against the service name, so a delete names it, not just the ID. */
    CatalogTransaction deleteService(String node, String serviceId, String service) {
        ObjectNode op = operation("delete").put("Node", node);
        op.putObject("Service").put("ID", serviceId).put("Service", service);
        return add("Service", op, AclRule.serviceWrite(service));
    }

    CatalogTransaction setService(Host host, String service) {
        ObjectNode op = operation("set").put("Node", host.name());
        op.putObject("Service").put("ID", service).put("Service", service).put("Address", host.address()).put("Port", host.port());
        return add("Service", op, AclRule.serviceWrite(service));
    }

    CatalogTransaction setKey(String key, String value, AclRule rule) {
        String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        return add("KV", operation("set").put("Key", key).put("Value", encoded), rule);
    }

    /**
     * Makes the whole transaction conditional on a session still holding a lock key:
     * a KV {@code check-session} as the first operation, so that Consul applies nothing if the
     * session expired or was destroyed, whoever holds the lock now.
     */
    CatalogTransaction onlyWhileHolding(LockCheck check) {
        if (lockCheck != null) {
            throw new IllegalStateException("already conditional on " + lockCheck.lock());
        }
        ObjectNode operation = operation("check-session").put("Key", check.key()).put("Session", check.session());
        operations.insertObject(0).set("KV", operation);
        rules.add(0, AclRule.keyRead(check.key()));
        lockCheck = check;
        return this;
    }

    /** The lock check that operation {@code index} is, if it is one. */
    Optional<LockCheck> lockCheckAt(int index) {
        return index == 0 ? Optional.ofNullable(lockCheck) : Optional.empty();
    }

    boolean isEmpty() {
        return operations.isEmpty();
    }

    /** How many operations it has. */
    int size() {
        return operations.size();
    }

    /** The rule operation {@code index} needs. */
    AclRule rule(int index) {
        return rules.get(index);
    }

    /** Every rule this transaction needs, once each, in operation order. */
    List<AclRule> rules() {
        return rules.stream().distinct().toList();
    }

    String json() {
        return Json.write(operations);
    }

    private static ObjectNode operation(String verb) {
        return Json.object().put("Verb", verb);
    }

    private CatalogTransaction add(String type, ObjectNode operation, AclRule rule) {
        operations.addObject().set(type, operation);
        rules.add(rule);
        return this;
    }
}
