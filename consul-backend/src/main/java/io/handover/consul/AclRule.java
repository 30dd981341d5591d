package io.handover.consul;

/**
 * The ACL permission one Consul operation needs, so that a denial names what to grant instead of
 * Consul's bare "Permission denied".
 *
 * @param resource {@code node}, {@code service}, {@code session} or {@code key}
 * @param access {@code read} or {@code write}
 * @param name the node, service or key (prefix)
 * @param prefix whether the rule must cover every key below {@code name}
 */
record AclRule(String resource, String access, String name, boolean prefix) {

    static AclRule nodeWrite(String node) {
        return new AclRule("node", "write", node, false);
    }

    static AclRule serviceWrite(String service) {
        return new AclRule("service", "write", service, false);
    }

    /** Sessions are granted by the name of the node they belong to. */
    static AclRule sessionWrite(String node) {
        return new AclRule("session", "write", node, false);
    }

    static AclRule keyRead(String key) {
        return new AclRule("key", "read", key, false);
    }

    static AclRule keyWrite(String key) {
        return new AclRule("key", "write", key, false);
    }

    static AclRule keyPrefixWrite(String key) {
        return new AclRule("key", "write", key, true);
    }

    /** {@code node:write on "db2"}, as Consul's documentation names permissions. */
    String permission() {
        return resource + ":" + access + " on \"" + name + "\"" + (prefix ? " and the keys below it" : "");
    }

    /** What a 403's message names: the permission and the policy rule that grants it. */
    String needed() {
        return permission() + "; grant it: " + policy();
    }

    /** The policy rule that grants it: {@code node "db2" { policy = "write" }}. */
    String policy() {
        return resource + (prefix ? "_prefix" : "") + " \"" + name + "\" { policy = \"" + access + "\" }";
    }
}
