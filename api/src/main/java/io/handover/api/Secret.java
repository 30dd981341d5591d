package io.handover.api;

import java.util.Objects;

/** A password, token or key. Prints as {@code [REDACTED]}, so it cannot leak through a log line. */
public final class Secret {

    public static final String REDACTED = "[REDACTED]";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The clear text, for the one call that needs it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return REDACTED;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
