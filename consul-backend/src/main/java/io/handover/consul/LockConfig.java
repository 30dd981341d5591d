package io.handover.consul;

import io.handover.api.ConfigReader;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code handover.backends.consul.lock}: where the failover lock of each cluster lives and how long
 * it outlives a holder that stops renewing it.
 *
 * @param prefix the KV path under which each cluster's lock key is {@code <prefix>/<cluster name>}
 * @param ttl the session TTL; Consul frees a dead holder's lock between 1 and 2 TTLs after its last renewal
 * @param node the agent-less Consul node that owns the lock sessions (see {@link ConsulSessions#create})
 */
record LockConfig(String prefix, Duration ttl, String node) {

    /** Consul's default {@code session_ttl_min}; a server refuses shorter TTLs with a 500. */
    static final Duration MIN_TTL = Duration.ofSeconds(10);
    /** Consul's fixed maximum session TTL. */
    static final Duration MAX_TTL = Duration.ofSeconds(86400);
    /** A DNS label, as Consul wants node names to be. */
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    static LockConfig read(ConfigReader lock) {
        String raw = lock.string("prefix", "handover/lock"); // null after a problem with its type
        String prefix = raw == null ? "" : raw.replaceAll("^/+|/+$", "");
        if (raw != null && prefix.isEmpty()) {
            lock.problem("prefix", "must name a key path such as handover/lock");
        }
        Duration ttl = lock.duration("ttl", Duration.ofSeconds(15));
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            lock.problem("ttl", "must be between 10s and 86400s (Consul's limits for a session TTL), got '"
                    + lock.string("ttl") + "'");
        }
        String node = lock.string("node", "handover");
        if (node != null && !NODE_NAME.matcher(node).matches()) {
            lock.problem("node", "'" + node + "' is not a Consul node name: use letters, digits and dashes, at most 63");
        }
        lock.rejectUnknownKeys();
        return new LockConfig(prefix, ttl, node);
    }

    /** The cluster's lock key. */
    String key(String cluster) {
        return prefix + "/" + cluster;
    }

    /** The TTL as Consul parses it (Go's duration syntax): {@code 15s}, or {@code 10500ms}. */
    String consulTtl() {
        return ttl.toMillis() % 1000 == 0 ? ttl.toSeconds() + "s" : ttl.toMillis() + "ms";
    }
}
