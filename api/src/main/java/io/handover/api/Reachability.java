package io.handover.api;

/**
 * Whether the old master's host answers, as the caller knows it when releasing. MHA says so:
 * {@code --command=stop} when the host is down, {@code stopssh} when SSH works; an online change
 * and a switchover release a live master.
 */
public enum Reachability {
    /** The host answers: releasing must succeed, or fail. */
    REACHABLE,
    /** The host is down: release what can be released within a short bound, and do not block the failover. */
    UNREACHABLE
}
