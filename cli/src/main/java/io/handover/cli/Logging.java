package io.handover.cli;

/** Diagnostics go to stderr: warnings by default, everything of ours with --verbose ({@link StderrLogging}). */
final class Logging {

    private Logging() {}

    static void configure(boolean verbose) {
        StderrLogging.verbose = verbose;
    }
}
