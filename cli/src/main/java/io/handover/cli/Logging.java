package io.handover.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Diagnostics go to stderr: warnings by default, everything of ours with --verbose. */
final class Logging {

    private Logging() {}

    static void configure(boolean verbose) {
        if (LoggerFactory.getLogger("io.handover") instanceof Logger logger) {
            logger.setLevel(verbose ? Level.DEBUG : Level.WARN);
        }
    }
}
