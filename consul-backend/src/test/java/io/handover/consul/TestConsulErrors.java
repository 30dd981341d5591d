package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** Bodies as Consul 1.8.7 sent them in the outage and ACL tests. */
class TestConsulErrors {

    private static final ConsulRequest READ = ConsulRequest.consistentGet("catalog/service/main-master", "service:read on \"main-master\"");
    private static final ConsulRequest WRITE = ConsulRequest.put("txn", "[]", "node:write on \"db2\"");
    private static final String SERVER = "http://127.0.0.1:8500/";

    @Test
    void noClusterLeaderIsRetryableForReadsAndWrites() {
        assertThat(classify(READ, 500, "No cluster leader")).isEqualTo(Kind.RETRYABLE);
        BackendException write = ConsulErrors.forStatus(WRITE, response(500, "No cluster leader\n"), true);
        assertThat(write.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(write).hasMessage("PUT /v1/txn on " + SERVER + ": Consul has no cluster leader (500 No cluster leader)");
    }

    @Test
    void leadershipLostWhileCommittingIsAmbiguousForWrites() {
        BackendException write = ConsulErrors.forStatus(WRITE, response(500, "leadership lost while committing log"), true);

        assertThat(write.kind()).isEqualTo(Kind.AMBIGUOUS);
        assertThat(write).hasMessage("PUT /v1/txn on " + SERVER + ": the leader lost its leadership while committing the write,"
                + " which may still be applied (500 leadership lost while committing log)");
        assertThat(classify(READ, 500, "leadership lost while committing log")).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void aWriteThatFailedOnTheWayToTheLeaderIsRetryableButOneThatMayHaveArrivedIsAmbiguous() {
        assertThat(classify(WRITE, 500, "rpc error getting client: failed to get conn: dial tcp 127.0.0.1:0->127.0.0.1:33473:"
                + " connect: connection refused")).isEqualTo(Kind.RETRYABLE);
        assertThat(classify(WRITE, 500, "rpc error making call: stream closed")).isEqualTo(Kind.AMBIGUOUS);
        assertThat(classify(WRITE, 502, "")).isEqualTo(Kind.AMBIGUOUS);
        assertThat(classify(READ, 500, "rpc error making call: stream closed")).isEqualTo(Kind.RETRYABLE);
        assertThat(classify(WRITE, 429, "rate limit exceeded")).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void permissionDeniedIsPermanentAndNamesWhatTheTokenNeeds() {
        assertThat(ConsulErrors.forStatus(READ, response(403, "Permission denied"), true))
                .hasMessage("GET /v1/catalog/service/main-master on " + SERVER + ": permission denied (403 Permission denied);"
                        + " the token needs service:read on \"main-master\"")
                .extracting(e -> ((BackendException) e).kind()).isEqualTo(Kind.PERMANENT);
        assertThat(ConsulErrors.forStatus(READ, response(403, "Permission denied"), false))
                .hasMessageEndingWith("(no token is configured: set token, token-file or CONSUL_HTTP_TOKEN)");
    }

    @Test
    void anUnknownTokenIsPermanent() {
        BackendException e = ConsulErrors.forStatus(WRITE, response(403, "ACL not found"), true);

        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e).hasMessage("PUT /v1/txn on " + SERVER + ": Consul does not know the configured token (403 ACL not found);"
                + " check token, token-file or CONSUL_HTTP_TOKEN");
    }

    @Test
    void otherClientErrorsArePermanent() {
        assertThat(ConsulErrors.forStatus(WRITE, response(400, "Bad request:   Unknown\n  operation"), true))
                .hasMessage("PUT /v1/txn on " + SERVER + ": Consul refused the request (400 Bad request: Unknown operation)");
        assertThat(classify(READ, 404, "")).isEqualTo(Kind.PERMANENT);
    }

    private static Kind classify(ConsulRequest request, int status, String body) {
        return ConsulErrors.forStatus(request, response(status, body), true).kind();
    }

    private static ConsulResponse response(int status, String body) {
        return new ConsulResponse(status, body, HttpUrl.get(SERVER));
    }
}
