package io.handover.flow;

/** A safety check said no before anything was changed. Commands exit 4. */
public class RefusedException extends RuntimeException {

    public RefusedException(String message) {
        super(message);
    }
}
