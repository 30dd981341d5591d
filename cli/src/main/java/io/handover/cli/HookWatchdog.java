package io.handover.cli;

import io.handover.config.ConfigLoader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Ends the process when an MHA hook call outlives its deadline by {@link #GRACE}. MHA has no
 * timeout of its own: it waits for a hook as long as the hook runs. Every step of a call is bounded
 * by the call's deadline, but a step that cannot be interrupted (the C library's resolver behind a
 * host name, a lock inside the JVM) would hold the failover forever; this bounds the whole call.
 */
final class HookWatchdog implements AutoCloseable {

    /** After the deadline, before the end: the call's own clean-up (freeing the lock) comes first. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * @param grace how long after the deadline: {@link #GRACE}
     * @param what the call, for the message: {@code mha-hook --command=start for cluster c1}
     * @param halt ends the process with an exit code ({@code Runtime.getRuntime()::halt} for a real call)
     */
    HookWatchdog(Duration deadline, Duration grace, String what, PrintWriter err, IntConsumer halt) {
        Thread watchdog = new Thread(() -> {
            try {
                if (finished.await(deadline.plus(grace).toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            err.println("handover: " + what + " is still running " + ConfigLoader.show(grace) + " past its deadline (deadline = "
                    + ConfigLoader.show(deadline) + ") and is ended here so that MHA does not wait for it forever (exit "
                    + ExitCode.FAILED + ": MHA aborts); what it did is in the journal");
            err.flush();
            halt.accept(ExitCode.FAILED);
        }, "handover-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The call ended: nothing to end. */
    @Override
    public void close() {
        finished.countDown();
    }
}
