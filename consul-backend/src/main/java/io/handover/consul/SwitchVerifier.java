package io.handover.consul;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Verification;
import io.handover.toolkit.CheckPoller;
import io.handover.toolkit.CheckPoller.Outcome;
import io.handover.toolkit.CheckPoller.Probe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, until each agrees or the deadline passes, that every place a client may ask names only
 * the new master: the catalog (consistent read), the KV keys when published, and each configured
 * DNS server. Followers answer DNS from their own, slightly late copy of the catalog (docs/CONSUL.md:
 * 50-100 ms), so each check reports how long it took to agree.
 */
final class SwitchVerifier {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final ConsulClient consul;
    private final DnsProbe dns;
    private final ConsulConfig config;
    private final ConsulRedirect redirect;

    SwitchVerifier(ConsulClient consul, DnsProbe dns, ConsulConfig config, ConsulRedirect redirect) {
        this.consul = consul;
        this.dns = dns;
        this.config = config;
        this.redirect = redirect;
    }

    Verification verify(Host master, Deadline deadline) throws BackendException {
        return CheckPoller.poll("verifying " + master + " in Consul", probes(master), POLL_INTERVAL, deadline);
    }

    private Map<String, Probe> probes(Host master) {
        String service = redirect.service();
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("catalog", deadline -> {
            try {
                List<ServiceInstance> instances = consul.instances(service, deadline);
                return new Outcome(ServiceInstance.onlyAt(instances, service, master), ServiceInstance.describe(instances));
            } catch (BackendException e) {
                return new Outcome(false, e.getMessage());
            }
        });
        if (config.kvEnabled()) {
            Map<String, String> wanted = OrchestratorKv.entries(config.kvPrefix(), redirect.kvName(), master);
            String masterKey = OrchestratorKv.masterKey(config.kvPrefix(), redirect.kvName());
            probes.put("kv " + masterKey, deadline -> {
                try {
                    Map<String, String> actual = consul.keys(masterKey, deadline);
                    actual.keySet().retainAll(wanted.keySet());
                    return new Outcome(actual.equals(wanted), actual.isEmpty() ? "no keys" : actual.toString());
                } catch (BackendException e) {
                    return new Outcome(false, e.getMessage());
                }
            });
        }
        for (DnsEndpoint endpoint : config.dns()) {
            probes.put("dns " + endpoint, deadline -> {
                DnsProbe.Answer answer = dns.query(endpoint, service, deadline);
                return new Outcome(answer.error() == null && answer.addresses().equals(List.of(master.address())),
                        dns.name(service) + " -> " + answer);
            });
        }
        return probes;
    }
}
