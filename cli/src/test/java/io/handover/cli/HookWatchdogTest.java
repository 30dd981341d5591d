package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HookWatchdogTest {

    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();

    @Test
    void endsACallStillRunningAfterItsDeadlineAndGraceWithExitOne() throws Exception {
        try (HookWatchdog watchdog = new HookWatchdog(Duration.ofMillis(100), Duration.ofMillis(50),
                "mha-hook --command=start for cluster c1", new PrintWriter(err), halted::complete)) {
            assertThat(halted.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCode.FAILED);
        }

        assertThat(err.toString()).isEqualTo("handover: mha-hook --command=start for cluster c1 is still running 50ms past its"
                + " deadline (deadline = 100ms) and is ended here so that MHA does not wait for it forever (exit 1: MHA aborts);"
                + " what it did is in the journal" + System.lineSeparator());
    }

    @Test
    void leavesACallThatEndedInTimeAlone() throws Exception {
        new HookWatchdog(Duration.ofMillis(100), Duration.ofMillis(50), "mha-hook --command=stop for cluster c1",
                new PrintWriter(err), halted::complete).close();

        Thread.sleep(400);
        assertThat(halted).isNotDone();
        assertThat(err.toString()).isEmpty();
    }
}
