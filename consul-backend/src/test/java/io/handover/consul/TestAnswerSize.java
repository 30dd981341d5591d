package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At most {@link ConsulHttp#MAX_BODY_BYTES} of an answer is read: a broken proxy streaming forever, or
 * announcing a huge body, fails the request clearly instead of filling the heap; a slow drip is cut by
 * the call's timeout. Each test prints what it measured.
 */
class TestAnswerSize {

    private static final long MARGIN_MILLIS = 750;

    @TempDir
    Path directory;

    private FaultProxy stub;
    private ConsulHttp http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        stub.close();
    }

    @Test
    void anAnswerAnnouncingMoreThanTheLimitIsNotRead() throws Exception {
        long millis = refused(FaultProxy.Fault.endlessBody(64 * 1024, Duration.ofMillis(10), ConsulHttp.MAX_BODY_BYTES + 1),
                " (Content-Length 16777217): not read");
        System.out.printf("an answer announcing 16 MiB + 1 byte: refused after %d ms%n", millis);
    }

    /** 64 MiB/s at most, so that without the limit the request-timeout (2 s) would end it, not the heap. */
    @Test
    void anAnswerThatNeverEndsIsCutAtTheLimit() throws Exception {
        long millis = refused(FaultProxy.Fault.endlessBody(64 * 1024, Duration.ofMillis(1), -1), ": stopped reading after 16 MiB");
        System.out.printf("an endless answer at up to 64 MiB/s: cut at 16 MiB after %d ms%n", millis);
    }

    @Test
    void anEndlessSlowDripIsCutAtTheDeadline() throws Exception {
        ConsulClient client = client(FaultProxy.Fault.endlessBody(1, Duration.ofMillis(50), -1));
        Duration deadline = Duration.ofMillis(1500);
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.instances("main-master", Deadline.after(deadline)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE))
                .hasMessageStartingWith("GET /v1/catalog/service/main-master reached no Consul server: " + stub.address() + "/:");
        long millis = millisSince(start);
        System.out.printf("an endless answer of a byte per 50 ms: deadline %d ms, cut after %d ms%n", deadline.toMillis(), millis);
        assertThat(millis).isLessThan(deadline.toMillis() + MARGIN_MILLIS);
    }

    @Test
    void anAnswerWithinTheLimitIsReadWhole() throws Exception {
        String answer = "[" + " ".repeat(4 << 20) + "{\"Node\": \"db1\", \"ServiceID\": \"main-master\", \"Address\": \"198.51.100.11\","
                + " \"ServicePort\": 3306}]";
        ConsulClient client = client(FaultProxy.Fault.status(200, answer));

        assertThat(client.instances("main-master", Deadline.after(Duration.ofSeconds(5))))
                .containsExactly(new ServiceInstance("db1", "main-master", "198.51.100.11", 3306, "198.51.100.11", false));
    }

    /** How long a read of an answer {@code fault} sends took to fail because the answer is too large, as {@code how}. */
    private long refused(FaultProxy.Fault fault, String how) throws Exception {
        ConsulClient client = client(fault);
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.instances("main-master", Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE))
                .hasMessage("GET /v1/catalog/service/main-master reached no Consul server: " + stub.address() + "/: IOException: the answer"
                        + " is larger than 16 MiB, more than any Consul answer to handover" + how);
        return millisSince(start);
    }

    private ConsulClient client(FaultProxy.Fault fault) throws Exception {
        stub = FaultProxy.start("http://127.0.0.1:1").fault(fault);
        ConsulConfig config = ConfigFixture.loadText(directory, "handover.backends.consul { addresses = [\"" + stub.address()
                + "\"], dns = [] }\nhandover.clusters.main.redirect = [{ backend = consul, service = main-master }]\n", Map.of()).config();
        http = new ConsulHttp(config);
        return new ConsulClient(http, config);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
