package io.handover.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTextTest {

    private static final PathCheck.PathResult VIP = new PathCheck.PathResult("vip", "vip 198.51.100.50", true, List.of(
            new PathCheck.Vantage("source of truth", "db1 (198.51.100.11:3306)", true),
            new PathCheck.Vantage("mysql via VIP 198.51.100.50:3306", "db1 (198.51.100.11:3306)", true)), null, null);
    private static final PathCheck.PathResult CONSUL = new PathCheck.PathResult("consul", "consul service main-master", false, List.of(
            new PathCheck.Vantage("source of truth", "nowhere", false),
            new PathCheck.Vantage("dns 127.0.0.1:8600", "nowhere", false)),
            "sends clients nowhere; dns 127.0.0.1:8600 answers nowhere (expected: only the writable master db1 at 198.51.100.11:3306)", null);

    @Test
    void aDisagreeingBackendIsNamedWithWhatItAnsweredAndTheRepair() {
        PathCheck.Result result = new PathCheck.Result("main", "db1 (198.51.100.11:3306)", List.of(VIP, CONSUL), null);

        assertThat(result.agrees()).isFalse();
        assertThat(MigrationText.check(result)).contains("  vip 198.51.100.50 (vip, primary): agrees\n",
                "    ok    mysql via VIP 198.51.100.50:3306: db1 (198.51.100.11:3306)\n",
                "  consul service main-master (consul): DISAGREES\n", "    WRONG dns 127.0.0.1:8600: nowhere\n")
                .doesNotContain("every redirect sends clients");
        assertThat(MigrationText.checkVerdict(result)).isEqualTo("migrate check failed for cluster main: consul (consul service main-master)"
                + " sends clients nowhere; dns 127.0.0.1:8600 answers nowhere (expected: only the writable master db1 at 198.51.100.11:3306);"
                + " to send clients to the writable master run: handover register --cluster main");
    }

    @Test
    void agreeingPathsSaySoAndANoteSaysWhatCouldNotBeTried() {
        PathCheck.PathResult route = new PathCheck.PathResult("aws-route", "aws route 198.18.200.10/32", false,
                List.of(new PathCheck.Vantage("route table rtb-1", "db1 (198.51.100.11:3306)", true)), null, "no data-plane client: ...");
        PathCheck.Result result = new PathCheck.Result("main", "db1 (198.51.100.11:3306)", List.of(VIP, route), null);

        assertThat(result.agrees()).isTrue();
        assertThat(MigrationText.check(result)).contains("    note: no data-plane client: ...\n",
                "every redirect sends clients to the writable master db1 (198.51.100.11:3306)\n");
    }

    @Test
    void theJsonSaysWhetherEachPathAndTheClusterAgree() throws Exception {
        String json = new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(new PathCheck.Result("main", "db1 (198.51.100.11:3306)", List.of(VIP, CONSUL), null));

        assertThat(json).contains("\"backend\":\"vip\"", "\"agrees\":true", "\"backend\":\"consul\"", "\"agrees\":false",
                "\"source\":\"dns 127.0.0.1:8600\"").endsWith("\"problem\":null,\"agrees\":false}");
    }
}
