package io.handover.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.handover.api.ClusterLock;
import io.handover.api.Deadline;
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
        Process holder = LockHolderProcess.start(file.toString());
        try {
            ClusterLock.HeldException held = catchThrowableOfType(ClusterLock.HeldException.class,
                    () -> new LocalFileLock(file).acquire("me", deadline()));
            assertThat(held.holder()).isEqualTo(LockHolderProcess.owner(holder));
            assertThat(new LocalFileLock(file).holding(deadline())).hasValueSatisfying(holding -> {
                assertThat(holding.holder()).isEqualTo(LockHolderProcess.owner(holder));
                assertThat(holding.since()).isNotNull();
            });
            assertThatThrownBy(() -> new LocalFileLock(file).breakHolding(held.holding(), deadline()))
                    .isInstanceOf(io.handover.api.BackendException.class).hasMessageContaining("is alive");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }

        // kill -9 leaves the holder's name in the file, but the OS freed the lock with the process
        assertThat(Files.readString(file)).startsWith(LockHolderProcess.owner(holder));
        assertThat(new LocalFileLock(file).holding(deadline())).isEmpty();
        try (ClusterLock.Lease lease = new LocalFileLock(file).acquire("me", deadline())) {
            assertThat(Files.readString(file)).startsWith("me\n");
            assertThat(new LocalFileLock(file).holding(deadline())).hasValueSatisfying(holding -> assertThat(holding.holder()).isEqualTo("me"));
        }
        assertThat(new LocalFileLock(dir.resolve("never-taken.lock")).holding(deadline())).isEmpty();
    }

    @Test
    void anUnusableDirectoryIsABackendFailureNotAHold() throws Exception {
        Files.writeString(dir.resolve("not-a-directory"), "");

        assertThatThrownBy(() -> new LocalFileLock(dir.resolve("not-a-directory/main.lock")).acquire("me", deadline()))
                .isInstanceOf(io.handover.api.BackendException.class)
                .hasMessageStartingWith("cannot use the lock file " + dir.resolve("not-a-directory/main.lock") + ": ");
    }
}
