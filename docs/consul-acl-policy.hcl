# handover's Consul ACL policy: exactly what its commands need (status, register, the MHA hooks,
# switchover, the failover lock). Consul 1.4+ ACLs, with default_policy = "deny".
#
#   consul acl policy create -name handover -rules @consul-acl-policy.hcl
#   consul acl token create -description "handover on the MHA manager" -policy-name handover
#
# Give handover the token's SecretID: backends.consul.token-file (a file of mode 0600) or
# $CONSUL_HTTP_TOKEN. Edit the names marked EDIT; the rest is the same for every installation.
# (docs/OPERATIONS.md; tested by ConsulAclPolicyFileIT against a Consul with ACLs.)

# EDIT: one rule per service that a cluster publishes (its redirect's service = "...").
service "main-master" { policy = "write" }

# EDIT: the master is registered as an external node named like the host (hosts[].name): a
# prefix that covers every MySQL host's name, or one node "db1" { ... } rule per host.
node_prefix "db" { policy = "write" }

# Reading the catalog: status, verify, and the check that a host handover registers is not a
# Consul agent's node.
node_prefix "" { policy = "read" }
service_prefix "" { policy = "read" }

# The failover lock (lock.backend = consul): a session on the node backends.consul.lock.node
# (default "handover") and one key per cluster under lock.prefix (default "handover/lock").
node "handover" { policy = "write" }
session "handover" { policy = "write" }
key_prefix "handover/lock/" { policy = "write" }

# Only with backends.consul.kv.enabled = true: the master's address under kv.prefix.
key_prefix "mysql/master/" { policy = "write" }
