package io.handover.consul;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.handover.api.Cluster;

/**
 * Wires one backend instance. Explicit bindings only, so that a wiring mistake fails when the
 * backend is created, never in the middle of a failover.
 */
final class ConsulModule extends AbstractModule {

    private final ConsulConfig config;
    private final ConsulRedirect redirect;
    private final Cluster cluster;

    ConsulModule(ConsulConfig config, ConsulRedirect redirect, Cluster cluster) {
        this.config = config;
        this.redirect = redirect;
        this.cluster = cluster;
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bind(ConsulConfig.class).toInstance(config);
        bind(ConsulRedirect.class).toInstance(redirect);
        bind(Cluster.class).toInstance(cluster);
        bind(ConsulHttp.class).in(Scopes.SINGLETON);
        bind(ConsulClient.class).in(Scopes.SINGLETON);
        bind(DnsProbe.class).in(Scopes.SINGLETON);
        bind(SwitchVerifier.class).in(Scopes.SINGLETON);
        bind(ConsulSessions.class).in(Scopes.SINGLETON);
        bind(ConsulLock.class).in(Scopes.SINGLETON);
        bind(ConsulBackend.class).in(Scopes.SINGLETON);
    }
}
