package io.handover.cli;

import org.slf4j.LoggerFactory;

/** Diagnostics go to stderr: warnings by default, everything of ours with --verbose ({@link StderrLogging}). */
final class Logging {

    private Logging() {}

    static void configure(boolean verbose) {
        StderrLogging.verbose = verbose;
        // SLF4J binds its provider here, on one thread, before a command starts any: loggers first used
        // by several threads during the binding get substitutes, and SLF4J warns about them on stderr
        LoggerFactory.getILoggerFactory();
    }
}
