package io.handover.api;

/**
 * What one redirect entry is bound with.
 *
 * @param cluster the cluster whose clients it sends
 * @param entry the cluster's redirect entry; its {@code backend} key is already read
 * @param identity asks a MySQL server who it is, for a verification that goes the clients' way
 */
public record RedirectContext(Cluster cluster, ConfigReader entry, ServerIdentity identity) {}
