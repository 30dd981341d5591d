package io.handover.consul;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.handover.api.BackendException;

/** Jackson, shared: Consul's answers are read as trees, since only a few fields matter. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static JsonNode parse(ConsulRequest request, ConsulResponse response) throws BackendException {
        try {
            return MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw BackendException.retryable(request + " on " + response.server() + ": Consul answered something that is not JSON: "
                    + response.shortBody(), e);
        }
    }

    /** A text field, or "" when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
