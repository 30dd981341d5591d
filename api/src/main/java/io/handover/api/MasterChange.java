package io.handover.api;

import java.util.Objects;

/** A change of master in one cluster, planned or forced. */
public record MasterChange(Cluster cluster, Host oldMaster, Host newMaster) {

    public MasterChange {
        Objects.requireNonNull(cluster, "cluster");
    }
}
