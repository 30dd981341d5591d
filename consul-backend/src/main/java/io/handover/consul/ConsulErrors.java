package io.handover.consul;

import io.handover.api.BackendException;
import java.util.List;
import java.util.Locale;

/**
 * Says what a Consul error status means for the caller. Measured on Consul 1.8 (docs/CONSUL.md): while
 * a leader is elected, servers answer 500 with {@code No cluster leader}, {@code stream closed} or
 * {@code connection refused}; {@code leadership lost while committing log} may still be applied; a
 * 403 is final. A write whose fate is unknown is AMBIGUOUS, never RETRYABLE: RETRYABLE promises
 * that nothing changed.
 */
final class ConsulErrors {

    /** Bodies of 5xx answers that mean the request never reached a leader, so nothing was applied. */
    private static final List<String> NOT_APPLIED = List.of(
            "no cluster leader", "connection refused", "not ready to serve consistent reads", "no path to datacenter",
            "rpc rate limit exceeded");

    private ConsulErrors() {}

    static BackendException forStatus(ConsulRequest request, ConsulResponse response, boolean tokenConfigured) {
        String body = response.shortBody();
        String where = request + " on " + response.server();
        String status = "(" + response.status() + " " + body + ")";
        String lower = body.toLowerCase(Locale.ROOT);
        if (response.status() == 403) {
            if (lower.contains("acl not found")) {
                return BackendException.permanent(where + ": Consul does not know the configured token " + status
                        + "; check token, token-file or " + ConsulConfig.TOKEN_VARIABLE);
            }
            return BackendException.permanent(where + ": permission denied " + status + "; the token needs "
                    + request.permissions() + (tokenConfigured ? "" : noTokenHint()));
        }
        if (response.status() == 429) {
            return BackendException.retryable(where + ": Consul is rate-limiting requests " + status, null);
        }
        if (response.status() >= 500) {
            if (lower.contains("no cluster leader")) {
                return BackendException.retryable(where + ": Consul has no cluster leader " + status, null);
            }
            if (!request.write() || NOT_APPLIED.stream().anyMatch(lower::contains)) {
                return BackendException.retryable(where + ": Consul failed " + status, null);
            }
            if (lower.contains("leadership lost while committing log")) {
                return BackendException.ambiguous(where + ": the leader lost its leadership while committing the write,"
                        + " which may still be applied " + status, null);
            }
            return BackendException.ambiguous(where + ": Consul failed, and the write may have been applied " + status, null);
        }
        return BackendException.permanent(where + ": Consul refused the request " + status);
    }

    static String noTokenHint() {
        return " (no token is configured: set token, token-file or " + ConsulConfig.TOKEN_VARIABLE + ")";
    }
}
