package io.handover.awsroute;

/**
 * What the EC2 API (or the way to it) answered, as the cause of a BackendException: its error code,
 * and whether it was throttling, for the retry loop's backoff and its final message. It replaces
 * the SDK's exception in the cause chain, with the same stack trace, so that a message that might
 * carry a credential ({@link Redaction}) never reaches a log or {@code --stacktrace}.
 */
final class Ec2Failure extends Exception {

    private final String code;
    private final boolean throttled;

    Ec2Failure(String code, boolean throttled, String message, Throwable original) {
        super(Redaction.apply(message), null, false, true);
        this.code = code;
        this.throttled = throttled;
        if (original != null) {
            setStackTrace(original.getStackTrace());
        }
    }

    /** EC2's error code ({@code RequestLimitExceeded}), or the SDK exception's class name when none answered. */
    String code() {
        return code;
    }

    boolean throttled() {
        return throttled;
    }

    /** Whether {@code failure} was caused by EC2 throttling. */
    static boolean throttled(Throwable failure) {
        return failure != null && failure.getCause() instanceof Ec2Failure cause && cause.throttled();
    }
}
