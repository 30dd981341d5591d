package io.handover.lock;

import io.handover.api.Deadline;
import java.nio.file.Path;
import java.time.Duration;

/** Holds a lock file from another JVM until killed, for {@link LocalFileLockTest}. */
public final class LockHolderProcess {

    public static void main(String[] args) throws Exception {
        new LocalFileLock(Path.of(args[0])).acquire("the other process", Deadline.after(Duration.ofSeconds(5)));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(2).toMillis());
    }
}
