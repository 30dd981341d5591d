package io.handover.config;

import io.handover.api.ConfigReader;
import java.time.Duration;

/**
 * Bounds of {@code handover switchover}, from a cluster's {@code switchover} block.
 *
 * @param maxCandidateLag the candidate's replication lag above which a switchover is refused
 * @param maxTransactionAge a transaction on the master older than this refuses the switchover:
 *     fencing would have to kill it, and its work would be lost
 * @param catchUpTimeout how long the candidate may take to apply the fenced master's last transaction
 * @param deadline the time the whole switchover must finish in, all steps included
 */
public record SwitchoverSettings(Duration maxCandidateLag, Duration maxTransactionAge, Duration catchUpTimeout, Duration deadline) {

    public static final SwitchoverSettings DEFAULTS =
            new SwitchoverSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60));

    /** Reads and validates the block; problems go to the reader. */
    static SwitchoverSettings read(ConfigReader reader) {
        Duration maxCandidateLag = reader.duration("max-candidate-lag", DEFAULTS.maxCandidateLag());
        Duration maxTransactionAge = reader.duration("max-transaction-age", DEFAULTS.maxTransactionAge());
        Duration catchUpTimeout = ConfigLoader.within(reader, "catch-up-timeout",
                reader.duration("catch-up-timeout", DEFAULTS.catchUpTimeout()), DEFAULTS.catchUpTimeout(), null,
                ConfigLoader.MAX_TIMEOUT, "clients wait that long for the fenced master's writes to reach the candidate");
        Duration deadline = ConfigLoader.within(reader, "deadline", reader.duration("deadline", DEFAULTS.deadline()),
                DEFAULTS.deadline(), ConfigLoader.MIN_DEADLINE, ConfigLoader.MAX_DEADLINE,
                "a switchover holds the cluster's lock, with MHA's hooks waiting for it, up to this long");
        // MySQL and MariaDB compare these in whole seconds: 900ms would silently become 0.
        wholeSeconds(reader, "max-candidate-lag", maxCandidateLag);
        wholeSeconds(reader, "max-transaction-age", maxTransactionAge);
        // The switchover keeps 5 s after the catch-up for redirecting clients (Switchover.REDIRECT_RESERVE).
        if (catchUpTimeout.plusSeconds(5).compareTo(deadline) > 0) {
            reader.problem("catch-up-timeout", "must be at least 5 s shorter than switchover.deadline (" + deadline.toMillis()
                    + " ms), which also covers redirecting clients; got " + catchUpTimeout.toMillis() + " ms");
        }
        reader.rejectUnknownKeys();
        return new SwitchoverSettings(maxCandidateLag, maxTransactionAge, catchUpTimeout, deadline);
    }

    static void wholeSeconds(ConfigReader reader, String key, Duration value) {
        if (value.toMillis() % 1000 != 0) {
            reader.problem(key, "must be whole seconds (the servers count lag and transaction age in seconds), got "
                    + value.toMillis() + " ms");
        }
    }
}
