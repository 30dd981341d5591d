package io.handover.switchover;

/**
 * A switchover that could not complete. Before promotion it was rolled back (or the rollback
 * failed too); after promotion nothing is undone and the operator gets the state and a command.
 */
public final class SwitchoverFailure extends RuntimeException {

    private final boolean promoted;
    private final boolean stateUnclear;
    private final String newMaster;

    SwitchoverFailure(String message, Throwable cause, boolean promoted, boolean stateUnclear, String newMaster) {
        super(message, cause);
        this.promoted = promoted;
        this.stateUnclear = stateUnclear;
        this.newMaster = newMaster;
    }

    /** Whether the new master may take writes: the job is then finished forward, never rolled back. */
    public boolean promoted() {
        return promoted;
    }

    /** Whether the operator must see every host's and backend's state to act. */
    public boolean stateUnclear() {
        return stateUnclear;
    }

    public String newMaster() {
        return newMaster;
    }
}
