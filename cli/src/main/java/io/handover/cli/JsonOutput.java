package io.handover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON that commands print for scripts ({@code status}, {@code lock} and {@code migrate} with
 * {@code --json}): one plain mapper, built the first time a command prints JSON and never by
 * another call (building it costs tens of milliseconds: its date format sets up locale data).
 */
final class JsonOutput {

    private JsonOutput() {}

    /** Holds the mapper, so that the JVM builds it on first use. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();
    }

    /** Indented over several lines, as {@code status --json} and {@code migrate --json} print. */
    static String indented(Object value) throws JsonProcessingException {
        return Mapper.INSTANCE.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }

    /** On one line, as {@code lock --json} prints. */
    static String line(Object value) throws JsonProcessingException {
        return Mapper.INSTANCE.writeValueAsString(value);
    }
}
