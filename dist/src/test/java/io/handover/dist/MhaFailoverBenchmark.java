package io.handover.dist;

import io.handover.sandbox.Sandbox;
import io.handover.sandbox.ShellHook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test: what a dead master costs MHA's users, with handover's {@code mha-hook} against a shell
 * script doing the same Consul work ({@code sandbox/bench/consul-hook}) as MHA's
 * {@code master_ip_failover_script}. Each run: the lab reset with db1 registered, the MHA manager
 * started, {@code kill -9} of db1's mariadbd, then the time until every Consul DNS server of the lab
 * answers exactly the new master (asked every 10 ms). The two hooks alternate run by run, which one
 * goes first too, so that the machine's changing load weighs on both alike.
 *
 * <pre>
 * mvn -q -o -pl dist -am package -DskipTests
 * mvn -q -o -pl dist -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * (cd dist &amp;&amp; java -cp target/test-classes:$(cat target/bench.cp) io.handover.dist.MhaFailoverBenchmark 5)
 * </pre>
 * from dist/ (MHA runs the packaged {@code target/handover/bin/handover}), with the HANDOVER_SANDBOX_*
 * variables of the lab to use. Leaves the lab reset.
 */
public final class MhaFailoverBenchmark {

    private static final String SERVICE = "sandbox-master.service.consul";
    private static final Duration LIMIT = Duration.ofSeconds(90);

    /**
     * One failover, from the kill: to no DNS server answering the old master any more (the stop hook's
     * release), to the first and to the last DNS server answering the new master (the start hook), and
     * to the MHA manager's exit (seen by polling every 0.5 s: an upper bound).
     */
    record Sample(long releasedMs, long firstServerMs, long allServersMs, long mhaDoneMs, String load) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path config = Sandbox.config();
        Map<String, Map<String, String>> hooks = new LinkedHashMap<>();
        hooks.put("handover mha-hook (packaged launcher)", LabClients.hooks(config));
        hooks.put("shell script (curl, dig)", ShellHook.hooks(Files.createTempDirectory("mha-failover-benchmark")));
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        hooks.keySet().forEach(name -> samples.put(name, new ArrayList<>()));

        List<String> names = new ArrayList<>(hooks.keySet());
        for (int i = 0; i < runs; i++) {
            for (int j = 0; j < names.size(); j++) {
                String name = names.get((i + j) % names.size());
                Sample sample = failover(config, hooks.get(name));
                samples.get(name).add(sample);
                System.out.printf("run %d %-40s kill to: old master gone %5d ms, new on all DNS servers %5d ms (first %5d ms), MHA exited %6d ms, load %s%n",
                        i + 1, name, sample.releasedMs(), sample.allServersMs(), sample.firstServerMs(), sample.mhaDoneMs(), sample.load());
            }
        }
        Sandbox.run("reset");

        System.out.println();
        System.out.println("kill -9 of the master to every Consul DNS server answering the new master, " + runs + " runs each:");
        samples.forEach((name, list) -> System.out.printf("  %-40s p50 %5d ms   min %5d ms   max %5d ms   (old master gone: p50 %5d ms)%n",
                name, median(list.stream().map(Sample::allServersMs).toList()),
                list.stream().mapToLong(Sample::allServersMs).min().orElseThrow(),
                list.stream().mapToLong(Sample::allServersMs).max().orElseThrow(),
                median(list.stream().map(Sample::releasedMs).toList())));
        List<Long> handover = samples.get(names.get(0)).stream().map(Sample::allServersMs).toList();
        List<Long> shell = samples.get(names.get(1)).stream().map(Sample::allServersMs).toList();
        List<Long> differences = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            differences.add(handover.get(i) - shell.get(i));
        }
        System.out.printf("  handover minus shell script, same run: p50 %d ms, each %s%n", median(differences), differences);
    }

    private static Sample failover(Path config, Map<String, String> hooks) throws Exception {
        LabClients.pristineAndRegistered(config);
        String oldMaster = Sandbox.address("db1");
        Sandbox.run(hooks, "mha-manager", "start");
        ProcessHandle mariadbd = ProcessHandle.of(Long.parseLong(Files.readString(Sandbox.dir().resolve("db1/mysqld.pid")).strip()))
                .orElseThrow(() -> new IllegalStateException("db1's mariadbd is not running"));
        String load = Sandbox.loadAverage();

        long killedAt = System.nanoTime();
        mariadbd.destroyForcibly(); // SIGKILL
        long released = -1;
        long first = -1;
        while (true) {
            List<List<String>> answers = ConsulDns.labAnswers(SERVICE);
            long now = System.nanoTime();
            if (released < 0 && answers.stream().noneMatch(answer -> answer.contains(oldMaster))) {
                released = now;
            }
            if (first < 0 && answers.stream().anyMatch(answer -> answer.size() == 1 && !answer.contains(oldMaster))) {
                first = now;
            }
            if (answers.stream().distinct().count() == 1 && answers.get(0).size() == 1 && !answers.get(0).contains(oldMaster)) {
                long all = now;
                MhaFailover.awaitManagerExit(LIMIT);
                long done = System.nanoTime();
                if (!MhaFailover.log().contains("completed successfully")) {
                    throw new IllegalStateException("MHA's failover did not complete: see " + MhaFailover.logFile());
                }
                return new Sample(millis(released - killedAt), millis(first - killedAt), millis(all - killedAt), millis(done - killedAt), load);
            }
            if (now - killedAt > LIMIT.toNanos()) {
                throw new IllegalStateException("the DNS servers did not agree on a new master within " + LIMIT + ": " + answers);
            }
            Thread.sleep(10);
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
