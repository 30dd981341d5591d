package io.handover.consul;

import okhttp3.HttpUrl;

/**
 * What one Consul server answered.
 *
 * @param status the HTTP status
 * @param body the whole body; Consul's errors are short plain text such as {@code No cluster leader}
 * @param server the address that answered, for messages
 */
record ConsulResponse(int status, String body, HttpUrl server) {

    boolean ok() {
        return status == 200;
    }

    /** The body on one line and short enough for an error message. */
    String shortBody() {
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
