package io.handover.vip;

import io.handover.api.Redirect;
import io.handover.api.RedirectContext;
import io.handover.api.Backend;
import jakarta.inject.Inject;

/**
 * The SSH settings and threads, made once, that every cluster's VIP shares. No lock is offered: the
 * hosts hold no state a lock could live in, so handover's local lock file serves.
 */
final class VipBackend implements Backend {

    private final VipConfig config;
    private final RemoteShell shell;
    private final Parallel parallel;

    @Inject
    VipBackend(VipConfig config, RemoteShell shell, Parallel parallel) {
        this.config = config;
        this.shell = shell;
        this.parallel = parallel;
    }

    /** Reads the entry's address and interfaces; touches no host. */
    @Override
    public Redirect bind(RedirectContext context) {
        VipEntry entry = VipEntry.read(context.entry(), context.cluster());
        VipHosts hosts = new VipHosts(shell, parallel, entry, context.cluster(), config.garpCount());
        VipVerifier verifier = new VipVerifier(hosts, parallel, context.identity(), entry, context.cluster());
        return new VipRedirect(entry, context.cluster(), config, hosts, verifier);
    }

    @Override
    public void close() {
        parallel.close();
    }
}
