package io.handover.consul;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Cluster;
import io.handover.api.Host;
import io.handover.api.Problem;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.RedirectState.Observation;
import io.handover.api.Targets;
import io.handover.api.Verification;
import io.handover.toolkit.ReadBack;
import io.handover.toolkit.RetryLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points one Consul service at the master: its only instance is registered through the catalog
 * on an agent-less node named after the MySQL host, so clients resolving
 * {@code <service>.service.consul} (TTL 0) reach it. Never through an agent: anti-entropy would
 * undo the change (docs/CONSUL.md). Every operation reads the state first and writes only what differs,
 * which makes it idempotent and lets a retry after an ambiguous failure find the write applied.
 */
final class ServiceRedirect implements Redirect {

    private static final String READ_BACK_HINT = "another writer, or a token without node:read and service:read, which hides entries";
    private static final Logger log = LoggerFactory.getLogger(ServiceRedirect.class);

    private final ConsulClient consul;
    private final DnsProbe dns;
    private final SwitchVerifier verifier;
    private final ConsulConfig config;
    private final String service;
    private final ConsulRedirect redirect;
    private final Cluster cluster;
    private final HeldLocks heldLocks;

    ServiceRedirect(ConsulClient consul, DnsProbe dns, ConsulConfig config, ConsulRedirect redirect, Cluster cluster, HeldLocks heldLocks) {
        this.consul = consul;
        this.heldLocks = heldLocks;
        this.dns = dns;
        this.config = config;
        this.redirect = redirect;
        this.service = redirect.service();
        this.cluster = cluster;
        this.verifier = new SwitchVerifier(consul, dns, config, redirect);
    }

    @Override
    public String describe() {
        return "consul service " + service;
    }

    @Override
    public RedirectState current(Deadline deadline) throws BackendException {
        List<ServiceInstance> instances = RetryLoop.run("reading " + describe(), deadline, attempt -> consul.instances(service, deadline));
        List<Observation> observations = new ArrayList<>();
        for (DnsEndpoint endpoint : config.dns()) {
            DnsProbe.Answer answer = dns.query(endpoint, service, deadline);
            observations.add(new Observation("dns " + endpoint, Targets.ofAddresses(cluster, answer.addresses()), answer.error()));
        }
        // one target per instance, not distinct: two instances must show as two targets
        return new RedirectState(Targets.map(instances.stream().map(instance -> instance.printable().endpoint()).toList(), this::hostAt),
                observations);
    }

    /**
     * What would stop a failover that reading the catalog does not show: an instance of the
     * service on a node no handover registered (release would refuse to delete it), a host named
     * like such a node (activation would refuse it), and every ACL rule the token lacks for the
     * writes of a failover to any candidate, found at once by a transaction Consul always rolls back.
     */
    @Override
    public List<Problem> readiness(Deadline deadline) throws BackendException {
        List<Problem> problems = new ArrayList<>();
        for (ServiceInstance instance : consul.instances(service, deadline).stream().map(ServiceInstance::printable).toList()) {
            if (!instance.externalNode()) {
                problems.add(new Problem("consul-instance-agent-owned", "instance \"" + instance.serviceId() + "\" ("
                        + instance.endpoint() + ") is on Consul node \"" + instance.node() + "\", whose NodeMeta lacks "
                        + CatalogTransaction.EXTERNAL_NODE + " = \"true\" (a Consul agent's node, or one registered by hand):"
                        + " a failover away from it would refuse to delete it. Remove it through its agent (consul services"
                        + " deregister -id=" + instance.serviceId() + ") or, if no agent owns the node, PUT /v1/catalog/deregister"
                        + " {\"Node\": \"" + instance.node() + "\"}, then run handover register"));
            }
        }
        List<Host> candidates = cluster.hosts().stream().filter(Host::candidate).toList();
        Map<String, Map<String, String>> metas = consul.nodeMetas(candidates.stream().map(Host::name).toList(), deadline);
        for (Host host : candidates) {
            Map<String, String> meta = metas.get(host.name());
            if (meta != null && !"true".equals(meta.get(CatalogTransaction.EXTERNAL_NODE))) {
                problems.add(new Problem("consul-node-agent-owned", "host " + host.name() + " is named like Consul node \""
                        + host.name() + "\", whose NodeMeta lacks " + CatalogTransaction.EXTERNAL_NODE + " = \"true\" (a Consul"
                        + " agent's node, or one registered by hand): a failover to it would be refused, because the agent's"
                        + " anti-entropy would undo it; give the host a name no agent uses"));
            }
        }
        if (!candidates.isEmpty()) {
            Map<String, String> keys = config.kvEnabled()
                    ? OrchestratorKv.entries(config.kvPrefix(), redirect.kvName(), candidates.get(0)) : Map.of();
            List<AclRule> missing = consul.missingRules(CatalogTransaction.aclProbe(service, candidates, keys), deadline);
            if (!missing.isEmpty()) {
                problems.add(new Problem("consul-acl-missing", "the Consul token lacks "
                        + String.join(", ", missing.stream().map(AclRule::permission).toList()) + ", which a failover needs; grant it: "
                        + String.join(" ", missing.stream().map(AclRule::policy).toList())));
            }
        }
        return problems;
    }

    @Override
    public String release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
        // the catalog is the same whether the old master answers or not
        RetryLoop.run("releasing " + oldMaster + " from " + describe(), deadline, attempt -> {
            awaitLeaderAfterFailure(attempt, deadline);
            List<ServiceInstance> stale = instancesOn(oldMaster, deadline);
            if (!stale.isEmpty()) {
                requireAgentless(stale);
                log.debug("{}: deleting {}", describe(), ServiceInstance.describe(stale));
                CatalogTransaction release = underLock(CatalogTransaction.release(service, stale));
                ReadBack.apply(describe(), () -> consul.apply(release, deadline), () -> {
                    List<ServiceInstance> left = instancesOn(oldMaster, deadline);
                    return left.isEmpty() ? null : "the catalog still shows " + ServiceInstance.describe(left);
                }, READ_BACK_HINT);
            }
            return null;
        });
        return "";
    }

    @Override
    public String activate(Host newMaster, Deadline deadline) throws BackendException {
        Map<String, String> keys = config.kvEnabled() ? OrchestratorKv.entries(config.kvPrefix(), redirect.kvName(), newMaster) : Map.of();
        return RetryLoop.run("activating " + newMaster + " in " + describe(), deadline, attempt -> {
            awaitLeaderAfterFailure(attempt, deadline);
            List<ServiceInstance> before = consul.instances(service, deadline);
            if (ServiceInstance.onlyAt(before, service, newMaster) && keysPublished(keys, deadline)) {
                log.debug("{}: already only at {}", describe(), newMaster);
                return "";
            }
            requireAgentlessNode(newMaster, deadline);
            requireAgentless(CatalogTransaction.removedByActivation(service, newMaster, before));
            CatalogTransaction activation = underLock(CatalogTransaction.activation(service, newMaster, before, keys));
            ReadBack.apply(describe(), () -> consul.apply(activation, deadline), () -> {
                List<ServiceInstance> after = consul.instances(service, deadline);
                if (!ServiceInstance.onlyAt(after, service, newMaster)) {
                    return "the catalog shows " + ServiceInstance.describe(after);
                }
                return keysPublished(keys, deadline) ? null : "the KV keys differ from " + keys;
            }, READ_BACK_HINT);
            log.debug("{}: switched from {} to {}", describe(), ServiceInstance.describe(before), newMaster);
            List<ServiceInstance> replaced = CatalogTransaction.removedByActivation(service, newMaster, before);
            return replaced.isEmpty() ? "" : "replaced " + ServiceInstance.describe(replaced);
        });
    }

    @Override
    public Verification verify(Host newMaster, Deadline deadline) throws BackendException {
        return verifier.verify(newMaster, deadline);
    }

    /**
     * After a failed attempt, asks whether there is a leader at all before trying again: the
     * answer is local to the server and immediate, whereas a write without a leader waits up to
     * Consul's 7 s RPC hold timeout; and it lets the final error say why.
     */
    private void awaitLeaderAfterFailure(int attempt, Deadline deadline) throws BackendException {
        if (attempt > 1 && consul.leader(deadline).isEmpty()) {
            throw BackendException.retryable("Consul has no cluster leader (GET /v1/status/leader answered \"\"):"
                    + " the servers are electing one, or too few of them are up to form a quorum", null);
        }
    }

    private boolean keysPublished(Map<String, String> keys, Deadline deadline) throws BackendException {
        if (keys.isEmpty()) {
            return true;
        }
        Map<String, String> actual = consul.keys(keys.keySet().iterator().next(), deadline);
        actual.keySet().retainAll(keys.keySet());
        return actual.equals(keys);
    }

    private List<ServiceInstance> instancesOn(Host host, Deadline deadline) throws BackendException {
        return consul.instances(service, deadline).stream().filter(instance -> isOn(instance, host)).toList();
    }

    /** A node an agent registered would lose the service at the agent's next anti-entropy sync. */
    private void requireAgentlessNode(Host host, Deadline deadline) throws BackendException {
        Optional<Map<String, String>> meta = consul.nodeMeta(host.name(), deadline);
        if (meta.isPresent() && !"true".equals(meta.get().get(CatalogTransaction.EXTERNAL_NODE))) {
            throw BackendException.permanent("Consul node \"" + host.name() + "\" belongs to a Consul agent (its NodeMeta lacks "
                    + CatalogTransaction.EXTERNAL_NODE + " = \"true\"), whose anti-entropy would undo the switch;"
                    + " give the host a name no agent uses");
        }
    }

    /**
     * Makes {@code transaction} conditional on the cluster's failover lock when this process holds
     * it through this backend, and refuses at once if the lease itself is no longer sure it holds
     * it (its renewals have failed for a TTL, or Consul said the session is gone). Without a held
     * Consul lock (a lock file, or no lock) the transaction is left as it is.
     */
    private CatalogTransaction underLock(CatalogTransaction transaction) throws BackendException {
        Optional<ConsulLease> lease = heldLocks.of(cluster.name());
        if (lease.isEmpty()) {
            return transaction;
        }
        if (!lease.get().held()) {
            throw BackendException.permanent(describe() + ": " + lease.get().describe() + " may be lost: its session "
                    + lease.get().session() + " could not be renewed for a whole TTL, or Consul no longer knows it, and another"
                    + " handover may be changing the master; nothing was changed");
        }
        return transaction.onlyWhileHolding(new CatalogTransaction.LockCheck(lease.get().key(), lease.get().session(), lease.get().describe()));
    }

    /**
     * Refuses to delete an instance that an agent registered: the delete would last only until the
     * agent's next anti-entropy sync (docs/CONSUL.md), which registers it again, and clients would
     * then resolve the old master next to the new one while handover reported success. Only its
     * agent can remove it for good, so the message says how, and nothing is written.
     */
    private void requireAgentless(List<ServiceInstance> doomed) throws BackendException {
        List<String> owned = doomed.stream().filter(instance -> !instance.externalNode()).map(ServiceInstance::printable).map(instance ->
                "instance \"" + instance.serviceId() + "\" (" + instance.endpoint() + ") on Consul node \"" + instance.node()
                        + "\" (address " + instance.nodeAddress() + "): run `consul services deregister -id=" + instance.serviceId()
                        + "` against the agent of node " + instance.node() + " (or PUT /v1/agent/service/deregister/"
                        + instance.serviceId() + " on its HTTP API), and delete its service definition from that agent's"
                        + " configuration if it has one").toList();
        if (!owned.isEmpty()) {
            throw BackendException.permanent(describe() + ": refusing to delete what a Consul agent registered (its node's NodeMeta"
                    + " lacks " + CatalogTransaction.EXTERNAL_NODE + " = \"true\"): the agent's anti-entropy would register it again,"
                    + " and clients would resolve two masters; nothing was changed. Remove it through its agent: "
                    + String.join("; ", owned));
        }
    }

    /** An instance's {@code address:port} as a host of the cluster: the endpoint clients connect to. */
    private Optional<Host> hostAt(String endpoint) {
        return cluster.hosts().stream().filter(host -> host.endpoint().equals(endpoint)).findFirst();
    }

    private static boolean isOn(ServiceInstance instance, Host host) {
        return instance.node().equals(host.name()) || instance.endpoint().equals(host.endpoint());
    }
}
