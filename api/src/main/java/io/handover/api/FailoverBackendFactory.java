package io.handover.api;

/**
 * Makes {@link FailoverBackend}s of one kind. Found by {@link java.util.ServiceLoader}: a
 * backend jar lists its factory in {@code META-INF/services/io.handover.api.FailoverBackendFactory}.
 *
 * <p>Dependency injection, HTTP clients and the like stay inside the implementation; this
 * interface carries plain Java types so that the core never depends on how a backend is built.
 */
public interface FailoverBackendFactory {

    /** The name used in configuration: {@code handover.backends.<name>} and {@code redirect.backend}. */
    String name();

    /** One line for {@code handover --help} and error messages. */
    default String description() {
        return name();
    }

    /**
     * Every key of {@code handover.backends.<name>} and of a redirect entry, with its default and a
     * comment, as HOCON: for the example configuration and {@code handover backends}.
     */
    default String configHelp() {
        return "";
    }

    /**
     * Reads and validates the backend's configuration and binds it to one cluster. Reports every
     * problem to the readers of {@code context} instead of throwing, and does no I/O: this also
     * runs for {@code handover config check}. The result is discarded if any problem was reported.
     */
    FailoverBackend create(BackendContext context);
}
