package io.handover.consul;

import io.handover.api.Backend;
import io.handover.api.Cluster;
import io.handover.api.ClusterLock;
import io.handover.api.Redirect;
import io.handover.api.RedirectContext;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * One Consul datacenter, configured once: its HTTP client, DNS probe and session API serve every
 * cluster that publishes a service there.
 */
final class ConsulBackend implements Backend {

    private final ConsulClient consul;
    private final ConsulHttp http;
    private final DnsProbe dns;
    private final ConsulSessions sessions;
    private final HeldLocks heldLocks;
    private final ConsulConfig config;

    @Inject
    ConsulBackend(ConsulClient consul, ConsulHttp http, DnsProbe dns, ConsulSessions sessions, HeldLocks heldLocks, ConsulConfig config) {
        this.consul = consul;
        this.http = http;
        this.dns = dns;
        this.sessions = sessions;
        this.heldLocks = heldLocks;
        this.config = config;
    }

    @Override
    public Redirect bind(RedirectContext context) {
        String kvEnabledPath = "handover.backends.consul.kv.enabled";
        ConsulRedirect redirect = ConsulRedirect.read(context.entry(), context.cluster(), config.kvEnabled(), kvEnabledPath);
        context.cluster().hosts().stream().filter(host -> host.address().contains(":")).findFirst().ifPresent(host ->
                // verify asks A records only: an IPv6 master could never be verified, and every switch would time out.
                context.entry().problem("backend", "host " + host + " has an IPv6 address, which the consul"
                        + " backend cannot verify yet (it checks DNS A records): give its IPv4 address"));
        return new ServiceRedirect(consul, dns, config, redirect, context.cluster(), heldLocks);
    }

    /**
     * A Consul session lock on {@code <lock.prefix>/<cluster>}, shared by every handover that talks to
     * this Consul. While this process holds it, the cluster's switches are written only if its
     * session still holds the key ({@link HeldLocks}).
     */
    @Override
    public Optional<ClusterLock> lock(Cluster cluster) {
        return Optional.of(new ConsulLock(sessions, config.lock(), cluster.name(), heldLocks));
    }

    @Override
    public void close() {
        http.close();
    }
}
