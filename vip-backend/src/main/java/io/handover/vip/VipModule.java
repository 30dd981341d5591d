package io.handover.vip;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.handover.api.SshOverrides;

/**
 * Wires the backend once per process. Explicit bindings only, so that a wiring mistake fails when the
 * backend is created, never in the middle of a failover.
 */
final class VipModule extends AbstractModule {

    private final VipConfig config;
    private final SshOverrides ssh;

    VipModule(VipConfig config, SshOverrides ssh) {
        this.config = config;
        this.ssh = ssh;
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bind(VipConfig.class).toInstance(config);
        bind(SshOverrides.class).toInstance(ssh);
        bind(Parallel.class).in(Scopes.SINGLETON);
        bind(RemoteShell.class).in(Scopes.SINGLETON);
        bind(VipBackend.class).in(Scopes.SINGLETON);
    }
}
