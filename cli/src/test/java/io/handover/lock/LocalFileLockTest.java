package io.handover.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileLockTest {

    @TempDir
    Path dir;

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(5));
    }

    @Test
    void holderAndSinceAreNamedToTheNextOneAndTheLockIsFreeAfterClose() throws Exception {
        LocalFileLock lock = new LocalFileLock(dir.resolve("locks/main.lock"));
        Instant before = Instant.now();

        try (ClusterLock.Lease lease = lock.acquire("alice@ops1 pid 7: handover switchover --cluster main", deadline())) {
            assertThat(Files.readString(dir.resolve("locks/main.lock"))).startsWith("alice@ops1 pid 7: handover switchover --cluster main\n");

            ClusterLock.HeldException held = catchThrowableOfType(ClusterLock.HeldException.class,
                    () -> new LocalFileLock(dir.resolve("locks/main.lock")).acquire("bob", deadline()));
            assertThat(held.holder()).isEqualTo("alice@ops1 pid 7: handover switchover --cluster main");
            assertThat(held.since()).isBetween(before, Instant.now());
        }

        assertThat(Files.readString(dir.resolve("locks/main.lock"))).isEmpty();
        try (ClusterLock.Lease lease = lock.acquire("bob", deadline())) {
            assertThat(Files.readString(dir.resolve("locks/main.lock"))).startsWith("bob\n");
        }
    }

    @Test
    void closingALeaseTwiceDoesNotReleaseSomeoneElsesLock() throws Exception {
        LocalFileLock lock = new LocalFileLock(dir.resolve("main.lock"));
        ClusterLock.Lease first = lock.acquire("first", deadline());
        first.close();
        try (ClusterLock.Lease second = lock.acquire("second", deadline())) {
            first.close();

            assertThatThrownBy(() -> lock.acquire("third", deadline())).isInstanceOf(ClusterLock.HeldException.class)
                    .hasMessageStartingWith("held by second since ");
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsRefusedAndDiesWithIt() throws Exception {
        Path file = dir.resolve("main.lock");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderProcess.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("locked");

            ClusterLock.HeldException held = catchThrowableOfType(ClusterLock.HeldException.class,
                    () -> new LocalFileLock(file).acquire("me", deadline()));
            assertThat(held.holder()).isEqualTo("the other process");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }

        try (ClusterLock.Lease lease = new LocalFileLock(file).acquire("me", deadline())) {
            assertThat(Files.readString(file)).startsWith("me\n");
        }
    }

    @Test
    void anUnusableDirectoryIsABackendFailureNotAHold() throws Exception {
        Files.writeString(dir.resolve("not-a-directory"), "");

        assertThatThrownBy(() -> new LocalFileLock(dir.resolve("not-a-directory/main.lock")).acquire("me", deadline()))
                .isInstanceOf(io.handover.api.BackendException.class)
                .hasMessageStartingWith("cannot use the lock file " + dir.resolve("not-a-directory/main.lock") + ": ");
    }
}
