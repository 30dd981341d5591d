package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.handover.api.BackendException;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** Json reads and writes without an ObjectMapper what an ObjectMapper (its former self) did. */
class TestJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Consul 1.8.7's answers as handover gets them, and the edges of JSON. */
    private static final List<String> ANSWERS = List.of(
            "[{\"ID\":\"5a1d\",\"Node\":\"db1\",\"Address\":\"198.51.100.11\",\"Datacenter\":\"dc1\",\"TaggedAddresses\":null,"
                    + "\"NodeMeta\":{\"external-node\":\"true\",\"external-probe\":\"false\"},\"ServiceKind\":\"\",\"ServiceID\":\"main-master\","
                    + "\"ServiceName\":\"main-master\",\"ServiceTags\":[],\"ServiceAddress\":\"198.51.100.11\",\"ServiceWeights\":{\"Passing\":1,"
                    + "\"Warning\":1},\"ServiceMeta\":{},\"ServicePort\":3306,\"ServiceEnableTagOverride\":false,\"CreateIndex\":12,\"ModifyIndex\":12}]",
            "{\"Errors\":[{\"OpIndex\":1,\"What\":\"Permission denied\"}],\"Results\":null}",
            "[{\"LockIndex\":1,\"Key\":\"handover/lock/main\",\"Flags\":0,\"Value\":\"eyJob2xkZXIiOiJ4In0=\",\"Session\":\"a-b\"}]",
            "\"127.0.0.1:8300\"", "true", "false", "null", "42", "-7", "9223372036854775807", "123456789012345678901234567890",
            "1.5", "-2.5e-3", "\"\\u00e9t\\u00e9 \\\"quoted\\\" \\\\ tab\\t \u65e5\u672c\"", "{\"a\":1,\"a\":2}", "[[],{},[{}]]",
            "", "   ", "{\"a\":1} trailing", "[1, 2]\n");

    @Test
    void readsEveryAnswerIntoTheTreeAnObjectMapperReads() throws IOException {
        for (String answer : ANSWERS) {
            assertThat(Json.read(answer)).as(answer).isEqualTo(MAPPER.readTree(answer));
        }
    }

    @Test
    void writesTheBytesAnObjectMapperWrites() throws IOException {
        ObjectNode body = Json.object().put("Node", "db1").put("Name", "handover \"main\"\t\u00e9").put("Port", 3306)
                .put("Index", 0L).put("Big", new java.math.BigInteger("123456789012345678901234567890")).put("Ratio", 0.25)
                .put("Yes", true).putNull("Nothing");
        body.set("NodeChecks", Json.array());
        body.putArray("List").add(1).add("two").addObject().put("three", false);
        for (String answer : ANSWERS) {
            if (!answer.isBlank()) {
                body.withArray("Answers").add(Json.read(answer));
            }
        }

        assertThat(Json.write(body)).isEqualTo(MAPPER.writeValueAsString(body));
        assertThat(Json.read(Json.write(body))).isEqualTo(MAPPER.readTree(MAPPER.writeValueAsString(body)));
    }

    @Test
    void whatIsNotJsonIsRefusedAsAnObjectMapperRefusesIt() {
        for (String bad : List.of("{", "[1,", "{\"a\" 1}", "nope", "{\"a\":1,}", "'single'")) {
            assertThatThrownBy(() -> MAPPER.readTree(bad)).as(bad).isInstanceOf(JsonProcessingException.class);
            assertThatThrownBy(() -> Json.read(bad)).as(bad).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsARetryableBackendError() {
        ConsulRequest request = ConsulRequest.get("status/leader", java.util.Map.of(), "nothing");
        ConsulResponse response = new ConsulResponse(200, "<html>proxy error</html>", HttpUrl.get("http://127.0.0.1:8500/"));

        assertThatThrownBy(() -> Json.read(request, response, answer -> answer))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.RETRYABLE))
                .hasMessage("GET /v1/status/leader on http://127.0.0.1:8500/: Consul's answer (200) cannot be read: not JSON:"
                        + " Unexpected character ('<' (code 60)): expected a valid value (JSON String, Number, Array, Object or token"
                        + " 'null', 'true' or 'false'); the answer began: <html>proxy error</html>");
    }

    @Test
    void aTextFieldIsEmptyWhenAbsentOrNull() throws IOException {
        JsonNode node = Json.read("{\"a\":\"x\",\"b\":null,\"n\":3}");

        assertThat(List.of(Json.text(node, "a"), Json.text(node, "b"), Json.text(node, "c"), Json.text(node, "n")))
                .containsExactly("x", "", "", "3");
    }
}
