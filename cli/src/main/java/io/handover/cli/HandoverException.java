package io.handover.cli;

/** A failure that ends the command with a given exit code and a message for the user. */
public final class HandoverException extends RuntimeException {

    private final int exitCode;

    public HandoverException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public HandoverException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
