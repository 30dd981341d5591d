package io.handover.consul;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.handover.api.BackendContext;
import io.handover.api.ConfigReader;
import io.handover.api.FailoverBackend;
import io.handover.api.FailoverBackendFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code consul} backend: the master is the only instance of a Consul service, registered
 * through the catalog, and optionally orchestrator's KV keys. Reads {@code handover.backends.consul}
 * and the redirect entry; does no network I/O here (it reads {@code token-file} and the TLS files,
 * so that {@code config check} reports them).
 */
public final class ConsulBackendFactory implements FailoverBackendFactory {

    @Override
    public String name() {
        return "consul";
    }

    @Override
    public String description() {
        return "registers the master as the only instance of a Consul service (DNS <service>.service.consul), optionally in orchestrator's KV layout";
    }

    @Override
    public FailoverBackend create(BackendContext context) {
        ConfigReader backend = context.backendConfig();
        ConsulConfig config = ConsulConfig.read(backend, context.environment());
        String kvEnabledPath = backend.path("kv") + ".enabled";
        ConsulRedirect redirect = ConsulRedirect.read(context.redirectConfig(), context.cluster(), config.kvEnabled(), kvEnabledPath);
        context.cluster().hosts().stream().filter(host -> host.address().contains(":")).findFirst().ifPresent(host ->
                // verify asks A records only: an IPv6 master could never be verified, and every switch would time out.
                context.redirectConfig().problem("backend", "host " + host + " has an IPv6 address, which the consul"
                        + " backend cannot verify yet (it checks DNS A records): give its IPv4 address"));
        return Guice.createInjector(Stage.PRODUCTION, new ConsulModule(config, redirect, context.cluster())).getInstance(ConsulBackend.class);
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
