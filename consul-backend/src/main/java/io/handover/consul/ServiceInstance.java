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
 */
record ServiceInstance(String node, String serviceId, String address, int port) {

    static List<ServiceInstance> parseAll(JsonNode array) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (JsonNode entry : array) {
            String serviceAddress = Json.text(entry, "ServiceAddress");
            instances.add(new ServiceInstance(
                    Json.text(entry, "Node"),
                    Json.text(entry, "ServiceID"),
                    serviceAddress.isEmpty() ? Json.text(entry, "Address") : serviceAddress,
                    entry.path("ServicePort").asInt()));
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
