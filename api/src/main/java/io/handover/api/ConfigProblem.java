package io.handover.api;

/**
 * One thing wrong with the configuration.
 *
 * @param path the HOCON path, with list indexes: {@code handover.clusters.main.hosts[1].port}
 * @param message what is wrong, for a human
 * @param origin {@code file:line} where it was set, or where it is missing from; may be null
 */
public record ConfigProblem(String path, String message, String origin) {

    @Override
    public String toString() {
        return origin == null ? path + ": " + message : path + ": " + message + " (" + origin + ")";
    }
}
