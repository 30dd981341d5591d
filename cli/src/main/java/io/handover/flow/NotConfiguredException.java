package io.handover.flow;

/** A command needs a setting that the configuration lacks. Commands exit 3. */
public class NotConfiguredException extends RuntimeException {

    public NotConfiguredException(String message) {
        super(message);
    }
}
