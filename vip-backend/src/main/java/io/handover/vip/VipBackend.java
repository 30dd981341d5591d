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
    /** Each cluster's VIPs bound so far, with where each was given: two redirects of one cluster must not share one. */
    private final java.util.Map<String, java.util.Map<String, String>> bound = new java.util.concurrent.ConcurrentHashMap<>();

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
        if (entry.address() != null) {
            // the core refuses one VIP in two clusters; within one, two entries would each take it from the other's holder
            String where = context.entry().path("address");
            String first = bound.computeIfAbsent(context.cluster().name(), name -> new java.util.concurrent.ConcurrentHashMap<>())
                    .putIfAbsent(entry.address().ip(), where);
            if (first != null && !first.equals(where)) {
                context.entry().problem("address", "VIP " + entry.address().ip() + " is also the address of another vip redirect of cluster "
                        + context.cluster().name() + " (" + first + "): two redirects of one VIP would both move it, and each"
                        + " verify the other's work; give it once");
            }
        }
        VipHosts hosts = new VipHosts(shell, parallel, entry, context.cluster(), config.garpCount());
        VipVerifier verifier = new VipVerifier(hosts, parallel, context.identity(), entry, context.cluster());
        return new VipRedirect(entry, context.cluster(), config, hosts, verifier);
    }

    /** Runs a read-only command over the backend's own ssh (its settings, MHA's overrides, its time bounds). */
    @Override
    public java.util.Optional<io.handover.api.HostShell> hostShell() {
        return java.util.Optional.of((host, command, deadline) -> {
            RemoteShell.Result result = shell.run(host, "running " + command.split(" ")[0], command, Effect.READ, deadline);
            if (result.exit() != 0) {
                throw io.handover.api.BackendException.permanent(command.split(" ")[0] + " on " + shell.at(host) + " failed: " + result.complaint());
            }
            return result.stdout();
        });
    }

    @Override
    public void close() {
        parallel.close();
    }
}
