package io.handover.consul;

import static io.handover.consul.TestBackends.DB2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import io.handover.api.Deadline;
import io.handover.toolkit.contract.BoundRedirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers that a real Consul never sends but something in front of it may (a proxy, a load
 * balancer, a connection cut mid-answer), to every request handover makes: each is an error that
 * names the request and what was wrong, RETRYABLE for a read and AMBIGUOUS for a write, never "no
 * instances", "no such node", "no keys", "no leader", "nobody holds the lock" or "the token has
 * every rule". The stub is the fault proxy answering without forwarding; the valid answers next to
 * the bad ones are Consul 1.8.7's own (docs/CONSUL.md).
 */
class TestUnreadableAnswers {

    private static final String SESSION = "67ec6640-4cba-8f5a-217b-424992b170f6";
    private static final String TOKEN = "d3adb33f-token-never-printed";
    /** Bodies that are no JSON answer at all: empty, blank, cut short, error pages (one that forges lines), two answers run together. */
    private static final List<String> NOT_JSON = List.of("", " \n", "[{\"Node\": \"db1\", \"ServiceID\"", "<html>502 Bad Gateway</html>",
            "\u001b[2J<html>\r\n12:00:00.000 INFO forged line</html>", "[] [{\"Node\": \"db1\"}]");
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path directory;

    private FaultProxy stub;
    private ConsulConfig config;
    private ConsulHttp http;
    private ConsulClient client;
    private ConsulSessions sessions;
    private String server;

    @BeforeEach
    void start() throws Exception {
        stub = FaultProxy.start("http://127.0.0.1:1");
        server = stub.address() + "/";
        config = ConfigFixture.loadText(directory, backendConfig() + "\nhandover.clusters.main.redirect = [{ backend = consul, service ="
                + " main-master }]\n", Map.of()).config();
        http = new ConsulHttp(config);
        client = new ConsulClient(http, config);
        sessions = new ConsulSessions(http, config);
    }

    @AfterEach
    void stop() {
        http.close();
        stub.close();
    }

    @Test
    void theCatalogsAnswerIsReadOnlyAsAnArrayOfWholeInstances() throws Exception {
        List<String> bad = with(NOT_JSON, "null", "{}", "\"main-master\"", "[null]", "[{\"Node\": \"db1\"}]",
                "[{\"Node\": \"db1\", \"ServiceID\": \"main-master\", \"Address\": \"198.51.100.11\", \"ServicePort\": \"3306\"}]",
                "[{\"Node\": \"db1\", \"ServiceID\": \"main-master\", \"Address\": \"\", \"ServiceAddress\": \"\", \"ServicePort\": 3306}]",
                "[{\"Node\": \"db1\", \"ServiceID\": \"main-master\", \"Address\": \"198.51.100.11\", \"ServicePort\": 3306, \"NodeMeta\": []}]");
        for (String body : bad) {
            answer("/v1/catalog/service/main-master", 200, body);
            unreadable(() -> client.instances("main-master", deadline()), "GET /v1/catalog/service/main-master", Kind.RETRYABLE, body);
        }
        answer("/v1/catalog/service/main-master", 200, "{}");
        assertThatThrownBy(() -> client.instances("main-master", deadline())).hasMessage("GET /v1/catalog/service/main-master on " + server
                + ": Consul's answer (200) cannot be read: an object where an array of service instances belongs; the answer began: {}");
        answer("/v1/catalog/service/main-master", 200, "");
        assertThatThrownBy(() -> client.instances("main-master", deadline())).hasMessage("GET /v1/catalog/service/main-master on " + server
                + ": Consul's answer (200) cannot be read: an empty body");
        answer("/v1/catalog/service/main-master", 200, "[{\"Node\": \"db1\"}]");
        assertThatThrownBy(() -> client.instances("main-master", deadline())).hasMessageContaining(
                "cannot be read: instance 0 has nothing where its ServiceID string belongs");

        answer("/v1/catalog/service/main-master", 200, "[]");
        assertThat(client.instances("main-master", deadline())).isEmpty();
        answer("/v1/catalog/service/main-master", 200, "[{\"ID\": \"5a1d\", \"Node\": \"db1\", \"Address\": \"198.51.100.11\","
                + " \"NodeMeta\": {\"external-node\": \"true\"}, \"ServiceID\": \"main-master\", \"ServiceName\": \"main-master\","
                + " \"ServiceAddress\": \"\", \"ServicePort\": 3306, \"ServiceMeta\": {}}]");
        assertThat(client.instances("main-master", deadline()))
                .containsExactly(new ServiceInstance("db1", "main-master", "198.51.100.11", 3306, "198.51.100.11", true));
    }

    /** The attack's case: an empty 200 read as "no instances" made status show no redirect target; now the read is retried, then fails. */
    @Test
    void aReadThatStaysUnreadableIsRetriedUntilTheDeadlineThenFailsNamingTheRequest() throws Exception {
        answer("/v1/catalog/service/main-master", 200, "");
        try (BoundRedirect backend = TestBackends.create(backendConfig(), "main-master")) {
            assertThatThrownBy(() -> backend.current(Deadline.after(SHORT)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE))
                    .hasMessageStartingWith("reading consul service main-master did not succeed by the deadline (")
                    .hasMessageEndingWith("GET /v1/catalog/service/main-master on " + server
                            + ": Consul's answer (200) cannot be read: an empty body");
        }
        assertThat(stub.count("/v1/catalog/service/main-master")).isGreaterThan(1);
    }

    /** A readable answer's texts were chosen by whoever registered the instance: shown escaped, on one line. */
    @Test
    void theCatalogsTextsAreShownWithTheirControlCharactersEscaped() throws Exception {
        answer("/v1/catalog/service/main-master", 200, "[{\"Node\": \"db9\\u001b[2J\\n12:00:00.000 INFO forged\", \"ServiceID\":"
                + " \"main-master\\r\", \"Address\": \"198.51.100.19\", \"ServiceAddress\": \"198.51.100.19\\u001b[8m\", \"ServicePort\": 3306, \"NodeMeta\": null}]");
        stub.fault("/v1/catalog/node/db2", FaultProxy.Fault.status(200, "null")).fault("/v1/catalog/nodes", FaultProxy.Fault.status(200, "[]"))
                .fault("/v1/txn", FaultProxy.Fault.status(409, "{\"Results\": null, \"Errors\": [{\"OpIndex\": 0, \"What\": \"index is stale\"}]}"));
        String node = "db9\\u001b[2J\\n12:00:00.000 INFO forged";
        try (BoundRedirect backend = TestBackends.create(backendConfig(), "main-master")) {
            assertThat(backend.current(deadline()).targets().describe()).isEqualTo("198.51.100.19\\u001b[8m:3306 (no host of the cluster)");
            assertThatThrownBy(() -> backend.activate(DB2, deadline()))
                    .hasMessageContaining("instance \"main-master\\r\" (198.51.100.19\\u001b[8m:3306) on Consul node \"" + node + "\"")
                    .hasMessageNotContainingAny("\n", "\r", "\u001b");
            assertThat(backend.readiness(deadline())).extracting(io.handover.api.Problem::text).first().asString()
                    .contains("is on Consul node \"" + node + "\"").doesNotContainPattern("\\p{Cntrl}");
        }
    }

    @Test
    void aNodesAnswerIsTheNodeOrNullAndNothingElse() throws Exception {
        for (String body : with(NOT_JSON, "{}", "[]", "\"db2\"", "{\"Node\": null}", "{\"Node\": {\"Meta\": {}}}",
                "{\"Node\": {\"Node\": \"db2\", \"Meta\": [\"external-node\"]}}",
                "{\"Node\": {\"Node\": \"db2\", \"Meta\": {\"external-node\": true}}}")) {
            answer("/v1/catalog/node/db2", 200, body);
            unreadable(() -> client.nodeMeta("db2", deadline()), "GET /v1/catalog/node/db2", Kind.RETRYABLE, body);
        }
        answer("/v1/catalog/node/db2", 200, "null");
        assertThat(client.nodeMeta("db2", deadline())).isEmpty();
        answer("/v1/catalog/node/db2", 200, "{\"Node\": {\"ID\": \"dbe2\", \"Node\": \"c2\", \"Meta\": null}, \"Services\": {}}");
        assertThat(client.nodeMeta("db2", deadline())).as("a node found by ID prefix is not the node asked for").isEmpty();
        answer("/v1/catalog/node/db2", 200, "{\"Node\": {\"Node\": \"db2\", \"Meta\": {\"external-node\": \"true\"}}, \"Services\": {}}");
        assertThat(client.nodeMeta("db2", deadline())).contains(Map.of("external-node", "true"));
    }

    @Test
    void theFilteredNodesAnswerIsAnArrayOfNodes() throws Exception {
        for (String body : with(NOT_JSON, "null", "{}", "[{}]", "[{\"Node\": \"db1\", \"Meta\": \"external\"}]")) {
            answer("/v1/catalog/nodes", 200, body);
            unreadable(() -> client.nodeMetas(List.of("db1", "db2"), deadline()), "GET /v1/catalog/nodes", Kind.RETRYABLE, body);
        }
        answer("/v1/catalog/nodes", 200, "[{\"Node\": \"db1\", \"Address\": \"198.51.100.11\", \"Meta\": null}]");
        assertThat(client.nodeMetas(List.of("db1", "db2"), deadline())).isEqualTo(Map.of("db1", Map.of()));
    }

    @Test
    void theKvAnswerIsTheKeysBelowTheOneAskedFor() throws Exception {
        String key = "mysql/master/main";
        for (String body : with(NOT_JSON, "[]", "null", "{}", "[{\"Key\": \"elsewhere\", \"Value\": null}]",
                "[{\"Key\": \"mysql/master/main\", \"Value\": \"%%not base64%%\"}]", "[{\"Key\": \"mysql/master/main\", \"Value\": 5}]")) {
            answer("/v1/kv/mysql/master/main", 200, body);
            unreadable(() -> client.keys(key, deadline()), "GET /v1/kv/mysql/master/main", Kind.RETRYABLE, body);
        }
        answer("/v1/kv/mysql/master/main", 200, "[]");
        assertThatThrownBy(() -> client.keys(key, deadline())).hasMessageContaining("cannot be read: an empty array, which Consul never"
                + " answers (it answers 404 when there is no key)");

        answer("/v1/kv/mysql/master/main", 404, "");
        assertThat(client.keys(key, deadline())).isEmpty();
        answer("/v1/kv/mysql/master/main", 200, "[{\"Key\": \"mysql/master/main\", \"Value\": \"MTk4LjUxLjEwMC4xMjozMzA2\"},"
                + " {\"Key\": \"mysql/master/main/ipv6\", \"Value\": null}]");
        assertThat(client.keys(key, deadline())).containsExactly(Map.entry(key, "198.51.100.12:3306"), Map.entry(key + "/ipv6", ""));
    }

    /** An unreadable answer used to read as "" and be reported as Consul having no leader. */
    @Test
    void theLeaderIsAStringOrTheAnswerIsUnreadable() throws Exception {
        for (String body : with(NOT_JSON, "null", "{}", "[]", "8300")) {
            answer("/v1/status/leader", 200, body);
            unreadable(() -> client.leader(deadline()), "GET /v1/status/leader", Kind.RETRYABLE, body);
        }
        answer("/v1/status/leader", 200, "\"127.0.0.1:8300\"");
        assertThat(client.leader(deadline())).isEqualTo("127.0.0.1:8300");
        answer("/v1/status/leader", 200, "\"\"");
        assertThat(client.leader(deadline())).isEmpty();
    }

    @Test
    void aTransactionsAnswerThatCannotBeReadMayHaveBeenApplied() throws Exception {
        CatalogTransaction switchToDb2 = CatalogTransaction.activation("main-master", DB2, List.of(), Map.of());
        for (String body : with(NOT_JSON, "null", "{}", "true", "{\"Results\": null, \"Errors\": null}",
                "{\"Results\": [], \"Errors\": [{\"OpIndex\": 0, \"What\": \"x\"}]}")) {
            answer("/v1/txn", 200, body);
            unreadable(() -> client.apply(switchToDb2, deadline()), "PUT /v1/txn", Kind.AMBIGUOUS, body);
        }
        for (String body : with(NOT_JSON, "{}", "{\"Errors\": []}", "{\"Errors\": [{\"OpIndex\": 2, \"What\": \"Permission denied\"}]}",
                "{\"Errors\": [{\"OpIndex\": 0}]}")) {
            answer("/v1/txn", 409, body);
            unreadable(() -> client.apply(switchToDb2, deadline()), "PUT /v1/txn", Kind.AMBIGUOUS, body);
        }

        answer("/v1/txn", 200, "{\"Results\": [{\"Node\": {\"Node\": \"db2\"}}, {\"Service\": {\"ID\": \"main-master\"}}], \"Errors\": null}");
        client.apply(switchToDb2, deadline());
        answer("/v1/txn", 409, "{\"Results\": null, \"Errors\": [{\"OpIndex\": 1, \"What\": \"Permission denied\"}]}");
        assertThatThrownBy(() -> client.apply(switchToDb2, deadline()))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PERMANENT))
                .hasMessageContaining("permission denied; the token lacks service:write on \"main-master\"");
    }

    /** An unreadable refusal of the ACL probe used to read as "the token has every rule" (or crash on an OpIndex out of range). */
    @Test
    void anUnreadableAclProbeAnswerIsNeverEveryRuleGranted() throws Exception {
        CatalogTransaction probe = CatalogTransaction.aclProbe("main-master", List.of(DB2), Map.of());
        for (String body : with(NOT_JSON, "null", "{}", "{\"Errors\": null}", "{\"Errors\": []}",
                "{\"Errors\": [{\"OpIndex\": 99, \"What\": \"Permission denied\"}]}")) {
            answer("/v1/txn", 409, body);
            unreadable(() -> client.missingRules(probe, deadline()), "PUT /v1/txn", Kind.AMBIGUOUS, body);
        }
        answer("/v1/txn", 409, "{\"Results\": null, \"Errors\": [{\"OpIndex\": 0, \"What\": \"index is stale\"},"
                + " {\"OpIndex\": 1, \"What\": \"Permission denied\"}]}");
        assertThat(client.missingRules(probe, deadline())).containsExactly(AclRule.serviceWrite("main-master"));
    }

    @Test
    void aNewSessionIsAnObjectWithAConsulSessionId() throws Exception {
        for (String body : with(NOT_JSON, "null", "{}", "[]", "{\"ID\": \"\"}", "{\"ID\": 42}", "{\"ID\": \"not-a-session\\u001b[2J\"}")) {
            answer("/v1/session/create", 200, body);
            unreadable(() -> sessions.create("handover", "handover main", "15s", deadline()), "PUT /v1/session/create", Kind.AMBIGUOUS, body);
        }
        answer("/v1/session/create", 200, "{\n    \"ID\": \"" + SESSION + "\"\n}");
        assertThat(sessions.create("handover", "handover main", "15s", deadline())).isEqualTo(SESSION);

        answer("/v1/session/create", 500, "Missing node registration");
        stub.fault("/v1/catalog/register", FaultProxy.Fault.status(200, ""));
        unreadable(() -> sessions.create("handover", "handover main", "15s", deadline()), "PUT /v1/catalog/register", Kind.AMBIGUOUS, "");
    }

    /** An unreadable acquire used to read as "refused", and the lock's own holder then as someone else. */
    @Test
    void anAcquireAnswersTrueOrFalse() throws Exception {
        for (String body : with(NOT_JSON, "null", "\"true\"", "1", "{}")) {
            answer("/v1/kv/handover/lock/main", 200, body);
            unreadable(() -> sessions.acquire("handover/lock/main", SESSION, "{}", deadline()), "PUT /v1/kv/handover/lock/main",
                    Kind.AMBIGUOUS, body);
        }
        answer("/v1/kv/handover/lock/main", 200, "false");
        assertThat(sessions.acquire("handover/lock/main", SESSION, "{}", deadline())).isEqualTo(ConsulSessions.Acquire.REFUSED);
        answer("/v1/kv/handover/lock/main", 200, "true");
        assertThat(sessions.acquire("handover/lock/main", SESSION, "{}", deadline())).isEqualTo(ConsulSessions.Acquire.TAKEN);
    }

    /** The attack's other case: an unreadable lock key read as "nobody holds the lock". */
    @Test
    void theLockKeyIsReadOnlyAsItsOwnEntry() throws Exception {
        String key = "handover/lock/main";
        for (String body : with(NOT_JSON, "[]", "null", "{}", "[null]", "[{\"Key\": \"handover/lock/other\", \"Session\": \"" + SESSION + "\"}]",
                "[{\"Key\": \"handover/lock/main\", \"Session\": \"x\\u001b[2J\"}]",
                "[{\"Key\": \"handover/lock/main\", \"Session\": \"" + SESSION + "\", \"Value\": \"%%\"}]")) {
            answer("/v1/kv/handover/lock/main", 200, body);
            unreadable(() -> sessions.read(key, deadline()), "GET /v1/kv/handover/lock/main", Kind.RETRYABLE, body);
        }
        answer("/v1/kv/handover/lock/main", 404, "");
        assertThat(sessions.read(key, deadline())).isEmpty();
        answer("/v1/kv/handover/lock/main", 200, "[{\"LockIndex\": 1, \"Key\": \"handover/lock/main\", \"Flags\": 0,"
                + " \"Value\": \"eyJob2xkZXIiOiJ4In0=\", \"Session\": \"" + SESSION + "\", \"CreateIndex\": 17, \"ModifyIndex\": 17}]");
        assertThat(sessions.read(key, deadline())).contains(new ConsulSessions.LockEntry(SESSION, "{\"holder\":\"x\"}"));
        answer("/v1/kv/handover/lock/main", 200, "[{\"Key\": \"handover/lock/main\", \"Value\": null}]");
        assertThat(sessions.read(key, deadline())).contains(new ConsulSessions.LockEntry("", ""));

        answer("/v1/kv/handover/lock/main", 200, "");
        try (BoundRedirect backend = TestBackends.create(backendConfig(), "main-master")) {
            assertThatThrownBy(() -> backend.lock().orElseThrow().holding(Deadline.after(SHORT)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE))
                    .hasMessageStartingWith("reading the failover lock of cluster main (Consul key handover/lock/main) did not succeed")
                    .hasMessageEndingWith("GET /v1/kv/handover/lock/main on " + server + ": Consul's answer (200) cannot be read: an empty body");
        }
    }

    @Test
    void aRenewalIsConfirmedOnlyByTheRenewedSession() throws Exception {
        for (String body : with(NOT_JSON, "[]", "null", "true", "[{\"ID\": \"5a1d2c3b-0000-4000-8000-00000000abcd\"}]")) {
            answer("/v1/session/renew/", 200, body);
            unreadable(() -> sessions.renew("handover", SESSION, deadline()), "PUT /v1/session/renew/" + SESSION, Kind.AMBIGUOUS, body);
        }
        answer("/v1/session/renew/", 200, "[{\"ID\": \"" + SESSION + "\", \"Node\": \"handover\", \"TTL\": \"15s\"}]");
        assertThat(sessions.renew("handover", SESSION, deadline())).isTrue();
        answer("/v1/session/renew/", 404, "Session id '" + SESSION + "' not found");
        assertThat(sessions.renew("handover", SESSION, deadline())).isFalse();
    }

    @Test
    void aDestroyAnswersTrue() throws Exception {
        for (String body : with(NOT_JSON, "false", "null", "{}")) {
            answer("/v1/session/destroy/", 200, body);
            unreadable(() -> sessions.destroy("handover", SESSION, deadline()), "PUT /v1/session/destroy/" + SESSION, Kind.AMBIGUOUS, body);
        }
        answer("/v1/session/destroy/", 200, "true");
        sessions.destroy("handover", SESSION, deadline());
    }

    /** An unreadable refusal of the release used to read as "the session no longer held the key". */
    @Test
    void aReleaseIsReadFromTheTransactionsAnswer() throws Exception {
        for (String body : with(NOT_JSON, "{}", "{\"Errors\": []}", "null")) {
            answer("/v1/txn", 409, body);
            unreadable(() -> sessions.release("handover/lock/main", SESSION, deadline()), "PUT /v1/txn", Kind.AMBIGUOUS, body);
            answer("/v1/txn", 200, body);
            unreadable(() -> sessions.release("handover/lock/main", SESSION, deadline()), "PUT /v1/txn", Kind.AMBIGUOUS, body);
        }
        answer("/v1/txn", 409, "{\"Results\": null, \"Errors\": [{\"OpIndex\": 0, \"What\": \"failed to check session, key"
                + " \\\"handover/lock/main\\\" doesn't exist\"}]}");
        assertThat(sessions.release("handover/lock/main", SESSION, deadline())).isFalse();
        answer("/v1/txn", 200, "{\"Results\": [{\"KV\": {\"Key\": \"handover/lock/main\", \"Session\": \"" + SESSION + "\"}}],"
                + " \"Errors\": null}");
        assertThat(sessions.release("handover/lock/main", SESSION, deadline())).isTrue();
    }

    private String backendConfig() {
        return "handover.backends.consul { addresses = [\"" + stub.address() + "\"], dns = [], token = \"" + TOKEN + "\" }";
    }

    /** From now on the stub answers requests whose line contains {@code path} so; all else gets a 500 this test did not expect. */
    private void answer(String path, int status, String body) {
        stub.clear().fault(path, FaultProxy.Fault.status(status, body)).fault(FaultProxy.Fault.status(500, "unexpected request"));
    }

    /**
     * {@code call} fails with {@code kind}, naming the request, the server and that the answer cannot be read, on
     * one line without control characters or the token.
     */
    private void unreadable(ThrowingCallable call, String request, Kind kind, String body) {
        assertThatThrownBy(call).as("answer %s", body)
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
                    assertThat(e.getMessage()).startsWith(request + " on " + server + ": Consul's answer (")
                            .contains(") cannot be read: ").doesNotContain(TOKEN)
                            .doesNotContainPattern("\\p{Cntrl}");
                });
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(5));
    }

    private static List<String> with(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }
}
