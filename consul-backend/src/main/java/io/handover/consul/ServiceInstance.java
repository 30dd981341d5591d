package io.handover.consul;

import com.fasterxml.jackson.databind.JsonNode;
import io.handover.api.Host;
import io.handover.api.Printable;
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

    /** The entries of Consul's answer; an answer of another shape, or an entry lacking what handover uses, is Unreadable. */
    static List<ServiceInstance> parseAll(JsonNode answer) throws Json.Unreadable {
        List<ServiceInstance> instances = new ArrayList<>();
        for (JsonNode entry : Json.array(answer, "an array of service instances")) {
            String what = "instance " + instances.size();
            Json.object(entry, what);
            String node = Json.string(entry, "Node", what);
            String serviceId = Json.string(entry, "ServiceID", what);
            String nodeAddress = Json.string(entry, "Address", what);
            String serviceAddress = Json.optionalString(entry, "ServiceAddress", what);
            String address = serviceAddress.isEmpty() ? nodeAddress : serviceAddress;
            if (node.isEmpty() || serviceId.isEmpty() || address.isEmpty()) {
                throw new Json.Unreadable(what + " lacks its Node, its ServiceID or an address (ServiceAddress or Address)");
            }
            int port = Json.integer(entry, "ServicePort", what);
            boolean external = "true".equals(Json.strings(entry, "NodeMeta", what).get(CatalogTransaction.EXTERNAL_NODE));
            instances.add(new ServiceInstance(node, serviceId, address, port, nodeAddress, external));
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

    /**
     * This instance with its texts escaped and cut for a message ({@link Printable#line}): whoever
     * registered it chose them, or whatever stands in front of Consul changed them. Never written back.
     */
    ServiceInstance printable() {
        return new ServiceInstance(Printable.line(node, 100), Printable.line(serviceId, 100), Printable.line(address, 100), port,
                Printable.line(nodeAddress, 100), externalNode);
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
        return instances.stream().map(ServiceInstance::printable).map(i -> i.endpoint() + " on node " + i.node()).toList().toString();
    }
}
