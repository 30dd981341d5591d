package io.handover.flow;

/** An operation did not succeed: a backend or server failed, or a verification did not pass. Commands exit 1. */
public class FailedException extends RuntimeException {

    public FailedException(String message) {
        super(message);
    }

    public FailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
