package io.handover.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.LoggerFactory;

/**
 * The run id that links the journal entries of one master change. Every command run starts a new
 * run, except MHA's {@code start}, which continues the run of the {@code stop} before it: MHA calls
 * them as two processes, both with the same orig master. {@code stop} leaves
 * {@code <cluster>.run} in the journal directory; a {@code start} for the same orig master within
 * {@link #EXPIRY} takes its run id from there.
 */
public final class RunIds {

    /**
     * How long a stop's run waits for its start: MHA starts the new master after recovering the
     * replicas' relay logs, minutes at most. Past it a start is another failover, or a re-run by hand.
     */
    public static final Duration EXPIRY = Duration.ofHours(1);

    private RunIds() {}

    /** A new run id: 8 hex digits, unique enough among one cluster's runs. */
    public static String fresh() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /**
     * For MHA's stop: a new run, remembered for the start that follows. A file that cannot be
     * written only unlinks the two calls in the journal: it never stops a failover.
     */
    public static String beginFailover(Path directory, String cluster, String origMaster) {
        String run = fresh();
        Map<String, String> begun = new LinkedHashMap<>();
        begun.put("run", run);
        begun.put("origMaster", origMaster);
        begun.put("time", Instant.now().toString());
        String content = FlatJson.write(begun);
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, cluster + ".run", ".tmp");
            Files.writeString(temporary, content + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file(directory, cluster), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(RunIds.class).warn("cannot record run {} for the start that follows in {}: {}", run,
                    file(directory, cluster), e.toString());
        }
        return run;
    }

    /** For MHA's start: the run of the stop for the same orig master, if it began within {@link #EXPIRY}; else a new one. */
    public static String continueFailover(Path directory, String cluster, String origMaster, Instant now) {
        try {
            Map<String, String> begun = FlatJson.read(Files.readString(file(directory, cluster), StandardCharsets.UTF_8));
            Instant time = Instant.parse(begun.get("time"));
            boolean sameFailover = origMaster.equals(begun.get("origMaster"))
                    && !time.isAfter(now) && Duration.between(time, now).compareTo(EXPIRY) <= 0;
            String run = begun.get("run");
            if (sameFailover && run != null && run.matches("[0-9a-f]{8}")) {
                return run;
            }
        } catch (IOException | RuntimeException e) {
            // no stop before this start (a start re-run by hand, an online change's start after a lost file): a run of its own
        }
        return fresh();
    }

    static Path file(Path directory, String cluster) {
        return directory.resolve(cluster + ".run");
    }
}
