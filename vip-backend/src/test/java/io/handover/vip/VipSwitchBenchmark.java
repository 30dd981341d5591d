package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.SshOverrides;
import io.handover.api.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long moving the VIP takes in the sandbox, and when the client host's ARP entry follows: N
 * moves round db1, db2, db3 (2 warm-up moves not counted), each timed as activate, verify, and the
 * moment {@code app}'s neighbour entry for the VIP shows the new host's MAC (followed with
 * {@code ip monitor neigh}, while the client sends nothing). Before each move the client asks MySQL through the VIP,
 * as an application would. Asserts nothing about timings; runs only when asked:
 * <pre>mvn -o -f vip-backend/pom.xml verify -Dit.test=VipSwitchBenchmark -Dhandover.benchmark=30 [-Dhandover.benchmark.controlmaster=true]</pre>
 * The second property adds an OpenSSH ControlMaster (one connection per host, reused) to the lab's
 * ssh_config. Uses 198.51.100.54 (NET.54) and leaves it on no host.
 */
@EnabledIfSystemProperty(named = "handover.benchmark", matches = "\\d+")
class VipSwitchBenchmark {

    private static final String VIP = Lab.vip(54);
    private static final int WARM_UP = 2;

    @TempDir
    Path directory;

    @Test
    void movesTheVipRoundTheHosts() throws Exception {
        Lab.assumeUp();
        int moves = Integer.parseInt(System.getProperty("handover.benchmark"));
        boolean controlMaster = Boolean.getBoolean("handover.benchmark.controlmaster");
        String ssh = Lab.SSH;
        if (controlMaster) {
            Path config = Files.writeString(directory.resolve("ssh_config"), """
                    Host *
                      ControlMaster auto
                      ControlPath %s/cm-%%C
                      ControlPersist 60s
                    Include %s
                    """.formatted(directory, Lab.SSH_CONFIG));
            ssh = "config-file = \"" + config + "\"";
        }
        List<Host> hosts = Lab.CLUSTER.hosts();
        List<Long> activate = new ArrayList<>();
        List<Long> verify = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        List<Long> arpAfterStart = new ArrayList<>();
        List<Long> arpAfterActivate = new ArrayList<>();
        try (Lab.Bound lab = Lab.bind(Lab.CLUSTER, VIP + "/24", ssh, SshOverrides.NONE); ArpWatch arp = new ArpWatch()) {
            Lab.clear(lab.redirect(), VIP);
            try {
                for (int move = -WARM_UP; move < moves; move++) {
                    Host next = hosts.get(Math.floorMod(move, hosts.size()));
                    if (move > -WARM_UP) {
                        Lab.askFromApp(VIP, "SELECT @@server_id"); // the client talks to the old holder: its ARP entry is fresh
                    }
                    arp.expect(Lab.mac(next.name()));
                    long start = System.nanoTime();
                    lab.redirect().activate(next, Deadline.after(Duration.ofSeconds(20)));
                    long activated = System.nanoTime();
                    Verification verification = lab.redirect().verify(next, Deadline.after(Duration.ofSeconds(10)));
                    long verified = System.nanoTime();
                    assertThat(verification.passed()).as("move %d to %s: %s", move, next, verification.checks()).isTrue();
                    long flipped = arp.seen(Duration.ofSeconds(3));
                    if (move >= 0) {
                        activate.add(activated - start);
                        verify.add(verified - activated);
                        total.add(verified - start);
                        if (flipped != 0) {
                            arpAfterStart.add(flipped - start);
                            arpAfterActivate.add(flipped - activated);
                        }
                    }
                }
            } finally {
                Lab.clear(lab.redirect(), VIP);
                if (controlMaster) {
                    for (Host host : hosts) {
                        Lab.exec("ssh", "-F", directory.resolve("ssh_config").toString(), "-O", "exit", "root@" + host.address());
                    }
                }
            }
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("%d moves of %s round db1, db2, db3 (%d warm-up moves not counted), ssh %s%n", moves, VIP, WARM_UP,
                controlMaster ? "with ControlMaster (connections reused)" : "without ControlMaster (a new connection per call)"));
        report.append(line("activate (ask all, release others, DAD + add + GARP)", activate));
        report.append(line("verify (holders over ssh + MySQL through the VIP)", verify));
        report.append(line("activate + verify", total));
        report.append(line("client's ARP entry moved, from activate's start", arpAfterStart));
        report.append(line("client's ARP entry moved, after activate returned", arpAfterActivate));
        System.out.print(report);
        Files.writeString(Path.of("target", "vip-benchmark" + (controlMaster ? "-controlmaster" : "") + ".txt"), report);
    }

    /**
     * Follows the client's neighbour table with {@code ip monitor neigh}, which prints each change as
     * the kernel makes it: no polling that would take CPU from the move being timed.
     */
    private static final class ArpWatch implements AutoCloseable {

        private final Process monitor;
        private final Thread reader;
        private volatile String expected;
        private final AtomicLong seen = new AtomicLong();

        ArpWatch() throws java.io.IOException {
            monitor = new ProcessBuilder("ip", "-n", Lab.PREFIX + "-app", "monitor", "neigh").redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(monitor.getInputStream()))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        long now = System.nanoTime();
                        String mac = expected;
                        if (mac != null && line.startsWith(VIP + " ") && line.contains("lladdr " + mac)) {
                            seen.compareAndSet(0, now);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the monitor was stopped
                }
            }, "arp-watch");
            reader.setDaemon(true);
            reader.start();
        }

        /** From now on, waits for an entry with {@code mac}. */
        void expect(String mac) {
            seen.set(0);
            expected = mac;
        }

        /** When the entry first showed the expected MAC, waiting up to {@code limit}; 0 if it did not. */
        long seen(Duration limit) throws InterruptedException {
            long until = System.nanoTime() + limit.toNanos();
            while (seen.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            return seen.get();
        }

        @Override
        public void close() {
            monitor.destroy();
        }
    }

    private static String line(String what, List<Long> nanos) {
        if (nanos.isEmpty()) {
            return String.format("  %-55s no samples%n", what);
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("  %-55s p50 %5d ms  p90 %5d ms  max %5d ms  (n=%d)%n", what, millis(sorted.get(sorted.size() / 2)),
                millis(sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.9) - 1))), millis(sorted.get(sorted.size() - 1)),
                sorted.size());
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

}
