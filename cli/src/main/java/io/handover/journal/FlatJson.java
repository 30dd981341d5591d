package io.handover.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The journal's files are flat JSON objects of strings, whole numbers and nulls, one per line,
 * written and read here with jackson-core's streaming generator and parser alone. An ObjectMapper
 * with the Java time module (what wrote them before) cost every hook call tens of milliseconds to
 * build, with the date format and locale data it sets up; this writes the same bytes.
 */
final class FlatJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private FlatJson() {}

    /** The fields in their order; a value is a String, a Long or null. */
    static String write(Map<String, ?> fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, ?> field : fields.entrySet()) {
                generator.writeFieldName(field.getKey());
                if (field.getValue() instanceof Long number) {
                    generator.writeNumber(number);
                } else {
                    generator.writeString((String) field.getValue()); // null writes null
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * The fields of one flat object, in their order, each value as its text (a number's digits) or
     * null; what follows the object is ignored. Anything else is refused: a line cut short, a nested value.
     */
    static Map<String, String> read(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "not a JSON object");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null || value.isStructStart()) {
                    throw new JsonParseException(parser, "field " + name + " is not a string, number or null");
                }
                fields.put(name, value == JsonToken.VALUE_NULL ? null : parser.getText());
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new JsonParseException(parser, "the object does not end");
            }
            return fields;
        }
    }
}
