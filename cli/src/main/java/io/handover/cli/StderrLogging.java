package io.handover.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the distribution, found through {@code META-INF/services}: every logger's
 * warnings and errors go to stderr as {@code HH:mm:ss.SSS LEVEL Logger: message} and the stack
 * trace of a logged throwable; {@link Logging} adds our own (io.handover) info and debug lines for
 * --verbose. stdout carries results, and MHA reads it. Logback did the same at a cost of some 40 ms
 * at every start of the hooks, which run on MHA's critical path (docs/PERFORMANCE.md).
 */
public final class StderrLogging implements SLF4JServiceProvider, ILoggerFactory {

    /** Whether our loggers print info and debug lines; read at every call, as loggers live in static fields made before --verbose is known. */
    static volatile boolean verbose;

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public void initialize() {}

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return this;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, StderrLogger::new);
    }

    /** One line as logback's pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n} printed it, and a throwable's trace. */
    static String line(LocalTime time, Level level, String logger, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(128)
                .append(Time.FORMAT.format(time)).append(' ')
                .append(level).append(" ".repeat(Math.max(1, 6 - level.toString().length())))
                .append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ")
                .append(message).append(System.lineSeparator());
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /** Loaded at the first line printed, not at every start: most runs print none. */
    private static final class Time {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    }

    private static final class StderrLogger extends LegacyAbstractLogger {

        private final boolean ours;

        StderrLogger(String name) {
            this.name = name;
            this.ours = name.equals("io.handover") || name.startsWith("io.handover.");
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return ours && verbose;
        }

        @Override
        public boolean isInfoEnabled() {
            return ours && verbose;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
            // a throwable as the last argument is the one to trace, also with a single argument, as logback had it
            FormattingTuple message = MessageFormatter.arrayFormat(pattern, arguments);
            Throwable thrown = throwable != null ? throwable : message.getThrowable();
            // one print of the whole line: lines of concurrent threads never interleave
            System.err.print(line(LocalTime.now(), level, name, message.getMessage(), thrown));
        }
    }
}
