package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared mapper prints what each command's own mapper printed before it (configured here as they were). */
class JsonOutputTest {

    record Finding(String code, String message, List<String> hosts) {}

    private static Map<String, Object> document() {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("cluster", "main");
        cluster.put("healthy", false);
        cluster.put("master", null);
        cluster.put("writableMasters", 2L);
        cluster.put("lagSeconds", 1.5);
        cluster.put("hosts", List.of(Map.of("name", "db1"), Map.of()));
        cluster.put("problems", List.of(new Finding("TWO_WRITABLE", "db1 and db2 \"both\"\twritable \u00e9", List.of("db1", "db2"))));
        cluster.put("redirects", Arrays.asList(null, List.of()));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("schemaVersion", 1);
        document.put("clusters", List.of(cluster));
        return document;
    }

    @Test
    void indentedIsWhatStatusAndMigrateJsonPrintedWithTheirOwnIndentingMapper() throws Exception {
        assertThat(JsonOutput.indented(document()))
                .isEqualTo(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document()))
                .contains("\n  \"clusters\" : [ {");
    }

    @Test
    void aLineIsWhatLockJsonPrintedWithItsOwnMapper() throws Exception {
        var node = JsonNodeFactory.instance.objectNode().put("cluster", "main").put("held", true).put("pid", 42).putNull("since");

        assertThat(JsonOutput.line(node)).isEqualTo(new ObjectMapper().writeValueAsString(node))
                .isEqualTo("{\"cluster\":\"main\",\"held\":true,\"pid\":42,\"since\":null}");
        assertThat(JsonOutput.line(document())).isEqualTo(new ObjectMapper().writeValueAsString(document()));
    }
}
