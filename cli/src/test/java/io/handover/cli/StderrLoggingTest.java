package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** What reaches stderr through SLF4J, found as the distribution finds it (META-INF/services). */
class StderrLoggingTest {

    private static final String NL = System.lineSeparator();

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final Logger library = LoggerFactory.getLogger("org.example.dns.Resolver");
    private final Logger ours = LoggerFactory.getLogger("io.handover.consul.ConsulHttp");

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        Logging.configure(false);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWarningIsOneLineOnStderrWithTimeLevelLoggerAndMessage() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(StderrLogging.class);

        library.warn("server {} answered {}", "127.0.0.1:8600", "SERVFAIL");

        assertThat(err()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d WARN  Resolver: server 127.0.0.1:8600 answered SERVFAIL" + NL);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theLevelIsPaddedToFiveAndTheTimeIsTheLocalClocks() {
        LocalTime time = LocalTime.of(9, 5, 3, 7_000_000);

        assertThat(StderrLogging.line(time, Level.ERROR, "a.b.Closer", "gone", null)).isEqualTo("09:05:03.007 ERROR Closer: gone" + NL);
        assertThat(StderrLogging.line(time, Level.INFO, "Top", "up", null)).isEqualTo("09:05:03.007 INFO  Top: up" + NL);
        assertThat(StderrLogging.line(time, Level.DEBUG, "a.B", "x", null)).isEqualTo("09:05:03.007 DEBUG B: x" + NL);
    }

    @Test
    void withoutVerboseOnlyWarningsAndErrorsOfAnyLoggerShow() {
        ours.debug("debug of ours");
        ours.info("info of ours");
        library.info("info of a library");
        library.error("error of a library");
        ours.warn("warning of ours");

        assertThat(err()).doesNotContain("debug of ours", "info of ours", "info of a library")
                .contains("ERROR Resolver: error of a library" + NL, "WARN  ConsulHttp: warning of ours" + NL);
    }

    @Test
    void verboseShowsOurInfoAndDebugButNotTheLibraries() {
        Logging.configure(true);

        ours.debug("debug of ours");
        ours.info("info of ours");
        ours.trace("trace of ours");
        library.debug("debug of a library");
        library.info("info of a library");
        LoggerFactory.getLogger("io.handoverish.Other").debug("not ours: only a prefix of the name");

        assertThat(err()).contains("DEBUG ConsulHttp: debug of ours" + NL, "INFO  ConsulHttp: info of ours" + NL)
                .doesNotContain("trace of ours", "of a library", "not ours");
    }

    @Test
    void aLoggedThrowableIsTracedBelowItsLine() {
        IllegalStateException failure = new IllegalStateException("session gone", new IOException("connection reset"));

        ours.warn("could not release {}: {}", "lock c1", "destroying its session", failure);

        assertThat(err()).contains("WARN  ConsulHttp: could not release lock c1: destroying its session" + NL
                        + "java.lang.IllegalStateException: session gone" + NL + "\tat io.handover.cli.StderrLoggingTest.")
                .contains("Caused by: java.io.IOException: connection reset" + NL);
    }

    /** As logback had it: a throwable that is the last argument is traced, even one SLF4J passes on as a plain Object. */
    @Test
    void aThrowableAsTheOnlyArgumentIsTracedToo() {
        Object failure = new IOException("timed out");

        library.warn("lookup failed {}", failure);

        assertThat(err()).contains("WARN  Resolver: lookup failed {}" + NL + "java.io.IOException: timed out" + NL);
    }

    @Test
    void verboseOnTheCommandLineTurnsOnOurDebugLines() {
        StringWriter output = new StringWriter();
        PrintWriter writer = new PrintWriter(output, true);

        assertThat(Handover.run(new String[] {"--verbose", "version"}, writer, writer, Map.of())).isZero();
        assertThat(ours.isDebugEnabled()).isTrue();
        assertThat(library.isDebugEnabled()).isFalse();

        assertThat(Handover.run(new String[] {"version"}, writer, writer, Map.of())).isZero();
        assertThat(ours.isDebugEnabled()).isFalse();
    }

    /** MHA's calls take a path of their own past picocli; --verbose must reach the logging there too. */
    @Test
    void verboseOnAnMhaCallTurnsOnOurDebugLines() {
        StringWriter output = new StringWriter();
        PrintWriter writer = new PrintWriter(output, true);
        String[] call = {"--config", "/nonexistent/handover.conf", "mha-hook", "--command=status", "--ssh_user=root",
            "--orig_master_host=db1", "--orig_master_ip=127.0.0.1", "--orig_master_port=3306"};
        String[] verboseCall = new String[call.length + 1];
        verboseCall[0] = "--verbose";
        System.arraycopy(call, 0, verboseCall, 1, call.length);

        assertThat(Handover.run(verboseCall, writer, writer, Map.of())).as(output.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(ours.isDebugEnabled()).isTrue();

        assertThat(Handover.run(call, writer, writer, Map.of())).as(output.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(ours.isDebugEnabled()).isFalse();
    }
}
