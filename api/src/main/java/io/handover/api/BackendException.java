package io.handover.api;

/** A backend operation that failed, with what the caller may do about it. */
public final class BackendException extends Exception {

    /** What a failure means for the caller. */
    public enum Kind {
        /** Not applied; the same call may succeed later (no leader yet, connection refused). */
        RETRYABLE,
        /** Not applied, and retrying will not help (permission denied, no such resource). */
        PERMANENT,
        /** May or may not have been applied: read the state back before deciding. */
        AMBIGUOUS
    }

    private final Kind kind;

    public BackendException(Kind kind, String message) {
        this(kind, message, null);
    }

    public BackendException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static BackendException retryable(String message, Throwable cause) {
        return new BackendException(Kind.RETRYABLE, message, cause);
    }

    public static BackendException permanent(String message) {
        return new BackendException(Kind.PERMANENT, message);
    }

    public static BackendException ambiguous(String message, Throwable cause) {
        return new BackendException(Kind.AMBIGUOUS, message, cause);
    }

    public Kind kind() {
        return kind;
    }
}
