package io.handover.consul;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.handover.api.Backend;
import io.handover.api.BackendSettings;
import io.handover.api.BackendFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code consul} backend: the master is the only instance of a Consul service, registered
 * through the catalog, and optionally orchestrator's KV keys. Reads {@code handover.backends.consul}
 * once per process, and binds each redirect entry; does no network I/O here (it reads {@code token-file} and the TLS files,
 * so that {@code config check} reports them).
 */
public final class ConsulBackendFactory implements BackendFactory {

    @Override
    public String name() {
        return "consul";
    }

    @Override
    public String description() {
        return "registers the master as the only instance of a Consul service (DNS <service>.service.consul), optionally in orchestrator's KV layout";
    }

    @Override
    public Backend configure(BackendSettings settings) {
        ConsulConfig config = ConsulConfig.read(settings.config(), settings.environment());
        return Guice.createInjector(Stage.PRODUCTION, new ConsulModule(config)).getInstance(ConsulBackend.class);
    }

    /** Every key of {@code handover.backends.consul} and of a redirect entry, with its default and a comment. */
    @Override
    public String configHelp() {
        try (InputStream in = ConsulBackendFactory.class.getResourceAsStream("consul-backend.conf")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
