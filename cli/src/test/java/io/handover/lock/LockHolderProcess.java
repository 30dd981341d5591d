package io.handover.lock;

import io.handover.api.Deadline;
import io.handover.config.BackendRegistry;
import io.handover.config.ConfigLoader;
import io.handover.config.HandoverConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Holds a failover lock from another JVM until killed, as another handover process would: named
 * {@code user@host pid N: the other process} with this JVM's PID. {@code LockHolderProcess FILE}
 * holds a lock file; {@code LockHolderProcess CONFIG CLUSTER} the cluster's configured lock (Consul).
 */
public final class LockHolderProcess {

    public static final String COMMAND = "the other process";

    public static void main(String[] args) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30)); // a busy machine loads the configuration slowly
        if (args.length == 1) {
            new LocalFileLock(Path.of(args[0])).acquire(ClusterLocks.owner(COMMAND), deadline);
        } else {
            HandoverConfig config = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(Path.of(args[0]));
            ClusterLocks.acquire(ClusterLocks.of(config, config.cluster(args[1]).orElseThrow()), args[1], COMMAND, deadline, Duration.ZERO, null);
        }
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(2).toMillis());
    }

    /** Starts one with {@code args} and returns once it holds the lock. */
    public static Process start(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderProcess.class.getName()));
        command.addAll(List.of(args));
        Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.io.BufferedReader output = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder lines = new StringBuilder();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.equals("locked")) {
                return holder;
            }
            lines.append(line).append('\n');
        }
        holder.destroyForcibly();
        throw new IllegalStateException("the lock holder process did not take the lock:\n" + lines);
    }

    /** {@code user@host pid N: the other process}, as a holder started here names itself. */
    public static String owner(Process holder) {
        return ClusterLocks.owner(COMMAND).replaceFirst(" pid \\d+: ", " pid " + holder.pid() + ": ");
    }
}
