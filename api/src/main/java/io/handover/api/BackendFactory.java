package io.handover.api;

/**
 * A kind of backend: {@code consul}, {@code vip}, {@code aws-route}. Found by
 * {@link java.util.ServiceLoader}: a backend jar lists its factory in
 * {@code META-INF/services/io.handover.api.BackendFactory}.
 *
 * <p>The SPI carries plain Java types; dependency injection, HTTP clients and SSH stay inside the
 * implementation, so that the core never depends on how a backend is built.
 */
public interface BackendFactory {

    /** The name used in configuration: {@code handover.backends.<name>} and {@code redirect.backend}. */
    String name();

    /** One line for {@code --help} and error messages. */
    default String description() {
        return name();
    }

    /**
     * Every key of {@code handover.backends.<name>} and of a redirect entry, with its default and a
     * comment, as HOCON: for the example configuration.
     */
    default String configHelp() {
        return "";
    }

    /**
     * Reads {@code handover.backends.<name>} once for the whole process. Reports every problem to the
     * reader instead of throwing, and does no network I/O: this also runs for {@code config check}.
     * The result is closed unused if any problem was reported anywhere in the configuration.
     */
    Backend configure(BackendSettings settings);
}
