package io.handover.consul;

import io.handover.api.Printable;
import okhttp3.HttpUrl;

/**
 * What one Consul server answered.
 *
 * @param status the HTTP status
 * @param body the whole body (at most {@link ConsulHttp#MAX_BODY_BYTES}); Consul's errors are short plain
 *     text such as {@code No cluster leader}
 * @param server the address that answered, for messages
 */
record ConsulResponse(int status, String body, HttpUrl server) {

    boolean ok() {
        return status == 200;
    }

    /**
     * The body on one line and short enough for an error message, its control characters escaped:
     * whatever answered (a proxy, a load balancer) wrote it, and it goes to MHA's log and the journal.
     */
    String shortBody() {
        return Printable.line(body.strip().replaceAll("\\s+", " "), 200);
    }
}
