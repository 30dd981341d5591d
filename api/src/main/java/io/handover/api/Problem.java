package io.handover.api;

import java.util.Objects;

/**
 * Something wrong that an operator must know, found by {@code status} or a backend's readiness check.
 *
 * @param code stable, for scripts and alerts ({@code host-unreachable}, {@code consul-acl-missing});
 *     README's "Problem codes" lists them all, and a code never changes meaning
 * @param text one sentence for humans; may change between versions
 */
public record Problem(String code, String text) {

    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
