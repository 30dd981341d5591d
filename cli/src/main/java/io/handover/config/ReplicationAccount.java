package io.handover.config;

import io.handover.api.Secret;

/**
 * The account replicas log in to their master with, written into {@code CHANGE MASTER TO} when a
 * switchover repoints them. Needs {@code REPLICATION SLAVE} on every host.
 *
 * @param user the replication user
 * @param password its password; never printed
 */
public record ReplicationAccount(String user, Secret password) {}
