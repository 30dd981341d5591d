package io.handover.consul;

import java.util.Map;

/**
 * One call to Consul's HTTP API.
 *
 * @param method {@code GET} or {@code PUT}
 * @param path below {@code /v1/}, unencoded: {@code catalog/service/main-master}
 * @param query parameters; an empty value is sent as a bare flag ({@code ?consistent})
 * @param body JSON for {@code PUT}, else null
 * @param permissions what the token needs for it, named in a 403's message
 */
record ConsulRequest(String method, String path, Map<String, String> query, String body, String permissions) {

    ConsulRequest {
        query = Map.copyOf(query);
    }

    /** A read that the leader answers after confirming it still leads: never stale. */
    static ConsulRequest consistentGet(String path, String permissions) {
        return new ConsulRequest("GET", path, Map.of("consistent", ""), null, permissions);
    }

    static ConsulRequest get(String path, Map<String, String> query, String permissions) {
        return new ConsulRequest("GET", path, query, null, permissions);
    }

    static ConsulRequest put(String path, String body, String permissions) {
        return new ConsulRequest("PUT", path, Map.of(), body, permissions);
    }

    /** Whether Consul may have changed something even if no answer came back. */
    boolean write() {
        return !method.equals("GET");
    }

    @Override
    public String toString() {
        return method + " /v1/" + path;
    }
}
