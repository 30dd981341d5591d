package io.handover.switchover;

import io.handover.api.Targets;
import io.handover.mysql.ClusterStatus;
import java.util.List;

/**
 * What a switchover's preconditions are judged on, gathered before anything changes.
 *
 * @param topology every host's answer
 * @param longTransactions the master's transactions older than switchover.max-transaction-age
 * @param transactionsError why the master's transactions could not be listed, or null
 * @param backends what each redirect backend answered
 */
public record Facts(ClusterStatus topology, List<LongTransaction> longTransactions, String transactionsError, List<BackendState> backends) {

    public Facts {
        longTransactions = List.copyOf(longTransactions);
        backends = List.copyOf(backends);
    }

    /**
     * @param thread the session's id on the master ({@code KILL} would take this)
     * @param ageSeconds how long the transaction has been open
     */
    public record LongTransaction(long thread, long ageSeconds) {}

    /**
     * @param backend the backend's description
     * @param targets where it sends clients now
     * @param error why it could not be asked, or null
     */
    public record BackendState(String backend, Targets targets, String error) {}
}
