package io.handover.switchover;

import io.handover.config.BackendRegistry;
import io.handover.config.ClusterConfig;
import io.handover.config.ConfigLoader;
import io.handover.config.HandoverConfig;
import io.handover.journal.Journal;
import io.handover.probe.ProbeLedger;
import io.handover.probe.ProbeSession;
import io.handover.probe.ProbeVerdict;
import io.handover.sandbox.Sandbox;
import io.handover.sandbox.ShellHook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Not a test: prints what a master change costs the sandbox's clients. Under the probe (a write
 * every 10 ms through Consul DNS), N runs of {@code handover switchover} back and forth, then N runs
 * of MHA's {@code masterha_master_switch --master_state=alive} with {@code handover mha-online-change}
 * as its online change script, interleaved run by run with N runs with the shell-script baseline
 * {@code sandbox/bench/consul-hook} instead (a lab reset before each: the sandbox's MHA switch goes
 * db1 -> db2; which of the two goes first alternates).
 *
 * <pre>
 * mvn -q -B -pl cli test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -cp cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.cp) io.handover.switchover.SwitchoverBenchmark 10
 * </pre>
 * with the HANDOVER_SANDBOX_* variables of the lab to use. Leaves the lab reset. Options after the count:
 * {@code --no-mha} skips the MHA runs (on the MySQL flavour they are always skipped: MHA 0.58 cannot
 * drive MySQL 8.4+, docs/MYSQL.md), {@code --mha-only} the {@code handover switchover} runs, and
 * {@code --launcher=PATH} makes MHA run that {@code handover} (the packaged
 * {@code dist/target/handover/bin/handover}, with its class data sharing archive) instead of a plain
 * {@code java -cp} of this JVM's class path.
 */
public final class SwitchoverBenchmark {

    private static final Duration SETTLE = Duration.ofMillis(1500);

    /** One switch as the probe saw it. */
    record Sample(long outageMs, int failedWrites, boolean verdictOk, String detail) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> options = List.of(args);
        boolean withMha = !Sandbox.mysql() && !options.contains("--no-mha");
        boolean withSwitchover = !options.contains("--mha-only");
        System.out.println("sandbox flavour: " + Sandbox.flavorName());
        Path dir = Files.createTempDirectory("switchover-benchmark");
        Lab lab = new Lab(dir, "");
        Path launcher = options.stream().filter(option -> option.startsWith("--launcher=")).findFirst()
                .map(option -> Path.of(option.substring("--launcher=".length())).toAbsolutePath()).orElse(launcher(dir));
        ClusterConfig cluster = cluster(lab);

        lab.reset();
        List<Sample> handover = new ArrayList<>();
        for (int i = 0; withSwitchover && i < runs; i++) {
            String target = i % 2 == 0 ? "db2" : "db1";
            handover.add(underProbe(lab, cluster, () -> {
                Lab.Run run = lab.handover("switchover", "--cluster", "sandbox", "--to", target, "--yes");
                if (run.exitCode() != 0) {
                    throw new IllegalStateException("switchover failed: " + run);
                }
                return run.out().lines().filter(line -> line.startsWith("switchover of cluster")).findFirst().orElse("");
            }));
            System.out.printf("handover switchover %2d -> %s: %s%n", i + 1, target, handover.get(i));
        }

        Map<String, Map<String, String>> hooks = new LinkedHashMap<>();
        hooks.put("handover mha-online-change", Map.of("HANDOVER_MHA_ONLINE_CHANGE_SCRIPT",
                launcher + " mha-online-change --config=" + lab.config));
        hooks.put("shell script sandbox/bench/consul-hook", ShellHook.hooks(dir));
        Map<String, List<Sample>> mha = new LinkedHashMap<>();
        hooks.keySet().forEach(name -> mha.put(name, new ArrayList<>()));
        List<String> names = new ArrayList<>(hooks.keySet());
        for (int i = 0; withMha && i < runs; i++) {
            for (int j = 0; j < names.size(); j++) {
                String name = names.get((i + j) % names.size());
                lab.reset();
                String load = Sandbox.loadAverage();
                Sample sample = underProbe(lab, cluster, () -> mhaSwitch(hooks.get(name)));
                mha.get(name).add(sample);
                System.out.printf("MHA online switch %2d -> db2 with %s: %s, load %s%n", i + 1, name, sample, load);
            }
        }
        lab.reset();

        System.out.println();
        System.out.println("longest write outage seen by the probe (a write every 10 ms through Consul DNS), " + runs + " runs each:");
        if (withSwitchover) {
            System.out.println(summary("handover switchover (" + Sandbox.flavorName() + ")", handover));
        }
        if (withMha) {
            System.out.println("  (MHA runs " + launcher + ")");
            mha.forEach((name, samples) -> System.out.println(
                    summary("MHA masterha_master_switch --master_state=alive + " + name, samples)));
        }
    }

    @FunctionalInterface
    private interface Switch {
        String run() throws Exception;
    }

    private static Sample underProbe(Lab lab, ClusterConfig cluster, Switch change) throws Exception {
        ProbeSession session = ProbeSession.prepare(cluster, event -> { });
        AtomicBoolean stop = new AtomicBoolean();
        Instant start = Instant.now();
        CompletableFuture<ProbeLedger> probe = CompletableFuture.supplyAsync(() -> {
            try {
                return session.run(Duration.ofMinutes(5), Duration.ofMillis(10), stop);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(SETTLE.toMillis());
        String detail = change.run();
        Thread.sleep(SETTLE.toMillis());
        stop.set(true);
        ProbeLedger ledger = probe.get(30, TimeUnit.SECONDS);
        ProbeVerdict verdict = session.judge(ledger, new Journal(lab.config.getParent().resolve("journal")).read("sandbox"),
                start, Instant.now());
        long outage = ledger.longestOutage().map(ProbeLedger.Outage::millis).orElse(-1L);
        int failed = ledger.attempts().size() - ledger.acknowledged().size();
        return new Sample(outage, failed, verdict.passed(), detail);
    }

    /** The sandbox's online switch to db2, with {@code hooks} naming MHA's master_ip_online_change_script. */
    private static String mhaSwitch(Map<String, String> hooks) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Sandbox.root().resolve("sandbox/sandbox").toString(), "mha-switch")
                .redirectErrorStream(true);
        builder.environment().putAll(hooks);
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("sandbox mha-switch failed:\n" + output);
        }
        return "masterha_master_switch took " + (System.nanoTime() - start) / 1_000_000 + " ms";
    }

    /** A handover command for MHA to run: this JVM's class path, so the hooks run the code under test. */
    static Path launcher(Path dir) throws IOException {
        Path launcher = dir.resolve("handover");
        Files.writeString(launcher, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -cp '" + System.getProperty("java.class.path") + "' io.handover.cli.Handover \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    private static ClusterConfig cluster(Lab lab) throws Exception {
        HandoverConfig config = new ConfigLoader(BackendRegistry.discover(), Map.of()).load(lab.config);
        return config.cluster("sandbox").orElseThrow();
    }

    static String summary(String name, List<Sample> samples) {
        List<Long> outages = samples.stream().map(Sample::outageMs).sorted().toList();
        long p50 = outages.get((outages.size() - 1) / 2);
        long max = outages.get(outages.size() - 1);
        long failedChecks = samples.stream().filter(sample -> !sample.verdictOk()).count();
        return String.format("  %-90s p50 %5d ms   max %5d ms   min %5d ms   probe verdict failed in %d of %d runs",
                name, p50, max, outages.get(0), failedChecks, samples.size());
    }
}
