package io.handover.consul;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * Wires the backend once per process. Explicit bindings only, so that a wiring mistake fails when the
 * backend is created, never in the middle of a failover.
 */
final class ConsulModule extends AbstractModule {

    private final ConsulConfig config;

    ConsulModule(ConsulConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bind(ConsulConfig.class).toInstance(config);
        bind(ConsulHttp.class).in(Scopes.SINGLETON);
        bind(ConsulClient.class).in(Scopes.SINGLETON);
        bind(DnsProbe.class).in(Scopes.SINGLETON);
        bind(ConsulSessions.class).in(Scopes.SINGLETON);
        bind(HeldLocks.class).in(Scopes.SINGLETON);
        bind(ConsulBackend.class).in(Scopes.SINGLETON);
    }
}
