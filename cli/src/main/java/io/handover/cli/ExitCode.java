package io.handover.cli;

/** handover's exit codes: part of its contract with MHA, scripts and the README. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CONFIG = 3;
    public static final int REFUSED = 4;
    /** MHA logs "Proceeding." and goes on with the failover. */
    public static final int PROCEED = 10;

    private ExitCode() {}
}
