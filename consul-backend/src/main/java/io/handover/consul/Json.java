package io.handover.consul;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.handover.api.BackendException;
import io.handover.api.Printable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consul's JSON as trees, since only a few fields matter, read and written with jackson-core's
 * streaming parser and generator alone. No ObjectMapper: building one (and the date format and
 * locale data it sets up) cost every hook call tens of milliseconds, for answers of a few fields. For the
 * same reason never call {@code toString()} on a node: it builds a mapper; {@link #write} does not.
 */
final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * A Consul answer that is not what its request returns: an empty body, JSON cut short, an error
     * page of something in front of Consul, or JSON of another shape. Never to be read as "nothing
     * there": after a failover the tool must tell the truth or fail.
     */
    static final class Unreadable extends Exception {
        Unreadable(String what) {
            super(what, null, false, false);
        }
    }

    /** Turns an answer's tree into a value, refusing a tree of another shape. */
    interface Reader<T> {
        T read(JsonNode answer) throws Unreadable;
    }

    /**
     * {@code response}'s body, which must be one JSON value, read by {@code reader}. What cannot be
     * read is a BackendException that names the request, the server, what was wrong and the start of
     * the body (the token is in a header, never in either): RETRYABLE like a server that could not be
     * reached, and AMBIGUOUS for a write, which may have been applied although its answer was lost.
     */
    static <T> T read(ConsulRequest request, ConsulResponse response, Reader<T> reader) throws BackendException {
        String problem;
        try {
            JsonNode answer = whole(response.body());
            if (answer.isMissingNode()) {
                throw new Unreadable("an empty body"); // every answer handover reads is JSON, none is empty
            }
            return reader.read(answer);
        } catch (JsonProcessingException e) {
            problem = "not JSON: " + Printable.line(e.getOriginalMessage(), 200);
        } catch (IOException e) {
            problem = "not JSON: " + Printable.line(String.valueOf(e.getMessage()), 200);
        } catch (Unreadable e) {
            problem = e.getMessage();
        }
        String body = response.shortBody();
        String message = request + " on " + response.server() + ": Consul's answer (" + response.status() + ") cannot be read: "
                + problem + (body.isEmpty() ? "" : "; the answer began: " + body);
        if (request.write()) {
            throw BackendException.ambiguous(message + " (the write may have been applied)", null);
        }
        throw BackendException.retryable(message, null);
    }

    /** A body that is exactly one JSON value, whitespace around it aside; a missing node if it is empty. */
    private static JsonNode whole(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return MissingNode.getInstance();
            }
            JsonNode value = value(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "more after the JSON value (two answers run together, or a proxy's addition)");
            }
            return value;
        }
    }

    /** The first JSON value of {@code text} (what follows it is ignored); a missing node if there is none. */
    static JsonNode read(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            return parser.nextToken() == null ? MissingNode.getInstance() : value(parser);
        }
    }

    /** The value at the parser's current token, which it leaves on the value's last token. */
    private static JsonNode value(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = object();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = array();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(parser.getBooleanValue());
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IOException("unexpected " + parser.currentToken() + " at " + parser.currentLocation());
        }
    }

    /** The tree as compact JSON, as Consul takes it in a request's body. */
    static String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator generator, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    generator.writeFieldName(field.getKey());
                    write(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode element : node) {
                    write(generator, element);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case NUMBER -> generator.writeNumber(node.asText()); // a number node's text is its JSON
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL -> generator.writeNull();
            default -> throw new IllegalArgumentException("no JSON for a " + node.getNodeType() + " node");
        }
    }

    /** {@code node} if it is an array, else Unreadable: {@code an object where an array of service instances belongs}. */
    static JsonNode array(JsonNode node, String what) throws Unreadable {
        if (!node.isArray()) {
            throw new Unreadable(kind(node) + " where " + what + " belongs");
        }
        return node;
    }

    /** {@code node} if it is an object, else Unreadable. */
    static JsonNode object(JsonNode node, String what) throws Unreadable {
        if (!node.isObject()) {
            throw new Unreadable(kind(node) + " where " + what + " belongs");
        }
        return node;
    }

    /** The string {@code field} of {@code object}, which must be there; {@code what} names the object in the error. */
    static String string(JsonNode object, String field, String what) throws Unreadable {
        JsonNode value = object.path(field);
        if (!value.isTextual()) {
            throw new Unreadable(what + " has " + kind(value) + " where its " + field + " string belongs");
        }
        return value.textValue();
    }

    /** Like {@link #string}, but absent or null reads as "". */
    static String optionalString(JsonNode object, String field, String what) throws Unreadable {
        JsonNode value = object.path(field);
        return value.isMissingNode() || value.isNull() ? "" : string(object, field, what);
    }

    /** The string-to-string object {@code field} (NodeMeta, a node's Meta); absent or null reads as empty. */
    static Map<String, String> strings(JsonNode object, String field, String what) throws Unreadable {
        JsonNode value = object.path(field);
        Map<String, String> strings = new LinkedHashMap<>();
        if (value.isMissingNode() || value.isNull()) {
            return strings;
        }
        for (Map.Entry<String, JsonNode> entry : object(value, what + "'s " + field).properties()) {
            strings.put(entry.getKey(), string(value, entry.getKey(), what + "'s " + field));
        }
        return strings;
    }

    /** The integer {@code field} of {@code object}, which must be there and fit an int. */
    static int integer(JsonNode object, String field, String what) throws Unreadable {
        JsonNode value = object.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new Unreadable(what + " has " + kind(value) + " where its " + field + " integer belongs");
        }
        return value.intValue();
    }

    /** The base64 {@code field} of a KV entry as UTF-8 text; absent or null (a key without a value) reads as "". */
    static String base64Text(JsonNode entry, String field, String what) throws Unreadable {
        try {
            return new String(Base64.getDecoder().decode(optionalString(entry, field, what)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unreadable(what + "'s " + field + " is not base64");
        }
    }

    /** What a node is, for a message: {@code an empty body}, {@code null}, {@code an object}. */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case MISSING -> "nothing";
            case NULL -> "null";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A text field, or "" when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
