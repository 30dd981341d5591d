package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import io.handover.api.Host;
import java.util.ArrayList;
import java.util.List;

/**
 * One instance of a service in Consul's catalog: an entry of {@code GET /v1/catalog/service/<name>}.
 *
 * @param node the node it is registered on
 * @param serviceId its ID on that node
 * @param address where DNS sends clients: the service address, else the node's
 * @param port the service port
 * @param nodeAddress the node's own address: where the agent that owns it runs, if one does
 * @param externalNode whether the node's NodeMeta says {@code external-node = "true"}: no agent owns
 *     it, so what the catalog deletes there stays deleted (docs/CONSUL.md, anti-entropy)
 */
record ServiceInstance(String node, String serviceId, String address, int port, String nodeAddress, boolean externalNode) {

    static List<ServiceInstance> parseAll(JsonNode array) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (JsonNode entry : array) {
            String serviceAddress = Json.text(entry, "ServiceAddress");
            String nodeAddress = Json.text(entry, "Address");
            instances.add(new ServiceInstance(
                    Json.text(entry, "Node"),
                    Json.text(entry, "ServiceID"),
                    serviceAddress.isEmpty() ? nodeAddress : serviceAddress,
                    entry.path("ServicePort").asInt(),
                    nodeAddress,
                    "true".equals(Json.text(entry.path("NodeMeta"), CatalogTransaction.EXTERNAL_NODE))));
        }
        return instances;
    }

    /** Whether {@code instances} is exactly {@code host} as handover registers it, and nothing else. */
    static boolean onlyAt(List<ServiceInstance> instances, String service, Host host) {
        return instances.size() == 1 && instances.get(0).is(service, host);
    }

    boolean is(String service, Host host) {
        return node.equals(host.name()) && serviceId.equals(service) && address.equals(host.address()) && port == host.port();
    }

    /** {@code 198.51.100.12:3306}, like {@link Host#endpoint()}. */
    String endpoint() {
        return address + ":" + port;
    }

    /** How a list of instances reads in a message: {@code [198.51.100.12:3306 on node db2]}. */
    static String describe(List<ServiceInstance> instances) {
        if (instances.isEmpty()) {
            return "no instance";
        }
        return instances.stream().map(i -> i.endpoint() + " on node " + i.node()).toList().toString();
    }
}
