package io.handover.switchover;

/**
 * One precondition of a switchover and its outcome.
 *
 * @param subject what was checked: {@code master}, {@code candidate}, {@code replica db3}
 * @param passed whether it allows the switchover
 * @param detail what was found, as a sentence that stands on its own in a refusal
 */
public record Check(String subject, boolean passed, String detail) {

    public static Check pass(String subject, String detail) {
        return new Check(subject, true, detail);
    }

    public static Check fail(String subject, String detail) {
        return new Check(subject, false, detail);
    }

    /** {@code   ok       master: db1 (...) is the only writable host}, aligned for a plan. */
    public String line() {
        return String.format("  %-8s %-12s %s", passed ? "ok" : "REFUSED", subject, detail);
    }
}
