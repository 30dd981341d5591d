package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.handover.api.Host;
import io.handover.vip.VipScripts.Holding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestVipScripts {

    private static final VipAddress VIP = new VipAddress("198.51.100.50", 24);
    /** nobody: a login that cannot write /run, as one with CAP_NET_ADMIN and CAP_NET_RAW only cannot. */
    private static final int NOBODY = 65534;

    @TempDir
    Path directory;

    private long sender;

    @AfterEach
    void stopTheStubSender() {
        // the stub arping the claim started (a sleep), by the PID it recorded: nothing else is killed
        if (sender > 0) {
            ProcessHandle.of(sender).filter(process -> process.info().command().orElse("").endsWith("sleep")).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void theVipIsFoundOnEveryInterfaceWithItsPrefixAndNothingElseMatches() {
        String output = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                2: eth0    inet 198.51.100.12/24 brd 198.51.100.255 scope global eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 198.51.100.50/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 198.51.100.500/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever
                3: eth1    inet 198.51.100.50/32 scope global eth1\\       valid_lft forever preferred_lft forever
                4: eth2    inet 198.51.100.5/24 scope global eth2\\       valid_lft forever preferred_lft forever
                """;

        assertThat(VipScripts.holdings(output, VIP)).containsExactly(new Holding("eth0", "198.51.100.50/24"), new Holding("eth1", "198.51.100.50/32"));
        assertThat(VipScripts.holdings("", VIP)).isEmpty();
    }

    @Test
    void theAnnouncersPidFileIsPerVipAndPerHost() {
        // network namespaces on one machine share /run: each host needs its own record
        assertThat(VipScripts.pidFile(VIP, ConfigFixture.DB1)).isEqualTo("/run/handover-vip-198.51.100.50@198.51.100.11.pid");
        assertThat(VipScripts.pidName(VIP, new Host("db9", "db9.example.com/x", 3306, true)))
                .isEqualTo("handover-vip-198.51.100.50@db9.example.com_x.pid");
    }

    @Test
    void aLoginThatCannotWriteRunRecordsTheSenderInADirectoryOfItsOwn() throws Exception {
        // a VIP no lab uses: /run is the machine's, and labs leave their own records there
        VipAddress vip = new VipAddress("192.0.2.77", 24);
        assertThat(Path.of(VipScripts.pidFile(vip, ConfigFixture.DB1))).as("left by someone else").doesNotExist();
        Lab.Result claim = asNobody(VipScripts.claim(vip, ConfigFixture.DB1, "eth0", true, 3));

        Path own = directory.resolve("tmp/handover-vip-" + NOBODY);
        Path record = own.resolve("handover-vip-192.0.2.77@198.51.100.11.pid");
        assertThat(claim.exit()).as(claim.output()).isZero();
        assertThat(record).exists();
        sender = Long.parseLong(Files.readString(record).strip());
        assertThat(claim.output()).isEqualTo("announcing from pid " + sender + ", recorded in " + record + "\n");
        assertThat(ProcessHandle.of(sender)).isPresent();
        assertThat(Files.getOwner(own).getName()).isEqualTo("nobody");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(own))).isEqualTo("rwx------");
        assertThat(Path.of(VipScripts.pidFile(vip, ConfigFixture.DB1))).doesNotExist();

        // release finds the record there (the stub sender is no arping -U, so it is left to the test to stop)
        Lab.Result release = asNobody(VipScripts.release(vip, ConfigFixture.DB1));
        assertThat(release.exit()).as(release.output()).isZero();
        assertThat(record).doesNotExist();
    }

    @Test
    void aPrivateDirectoryThatIsNotTheLoginsOwnFailsTheClaimBeforeTheVipIsAdded() throws Exception {
        Path elsewhere = Files.createDirectories(directory.resolve("elsewhere"));
        Files.createSymbolicLink(Files.createDirectories(directory.resolve("tmp")).resolve("handover-vip-" + NOBODY), elsewhere);

        Lab.Result claim = asNobody(VipScripts.claim(VIP, ConfigFixture.DB1, "eth0", true, 3));

        assertThat(claim.exit()).isEqualTo(VipScripts.FAILED);
        assertThat(claim.output()).isEqualTo("cannot record the gratuitous ARP sender: /run is not writable for login nobody, and "
                + directory.resolve("tmp/handover-vip-" + NOBODY) + " is not a directory of its own (remove it, or log in as root)\n");
        assertThat(Files.readString(directory.resolve("ip.log"))).doesNotContain("addr add");
    }

    /** Runs {@code script} with sh as nobody, with stubs for ip and arping, TMPDIR in the test's directory; stdout and stderr together. */
    private Lab.Result asNobody(String script) throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root") && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run the script as another login");
        Path stubs = Files.createDirectories(directory.resolve("bin"));
        Files.writeString(stubs.resolve("arping"), """
                #!/bin/sh
                case $1 in -V) echo "arping from iputils 20221126"; exit 0 ;; -D) exit 0 ;; -U) exec sleep 30 ;; esac
                exit 2
                """);
        Files.writeString(stubs.resolve("ip"), """
                #!/bin/sh
                echo "ip $*" >>"$STUB_LOG"
                """);
        Path log = directory.resolve("ip.log");
        Files.writeString(log, "");
        Path tmp = Files.createDirectories(directory.resolve("tmp"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(stubs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(stubs.resolve("arping"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(stubs.resolve("ip"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx")); // the sticky bit aside, /tmp's mode
        ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "sh", "-c", script)
                .redirectErrorStream(true).directory(directory.toFile());
        builder.environment().putAll(Map.of("PATH", stubs + ":/usr/bin:/bin", "TMPDIR", tmp.toString(), "STUB_LOG", log.toString()));
        Process process = builder.start();
        process.getOutputStream().close();
        try (Parallel threads = new Parallel()) {
            // the sender keeps the inherited pipe only if the script forgot to redirect it: read without waiting for its end
            Future<byte[]> output = threads.submit(() -> process.getInputStream().readAllBytes());
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return new Lab.Result(process.exitValue(), new String(output.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theInspectionSaysWhatAHostLacksForAClaim() throws Exception {
        java.nio.file.Path bin = java.nio.file.Files.createTempDirectory("handover-no-arping");
        try {
            java.nio.file.Files.createSymbolicLink(bin.resolve("ip"), java.nio.file.Path.of(
                    java.nio.file.Files.exists(java.nio.file.Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip"));
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", VipScripts.inspection("handover-no-such0"));
            builder.environment().put("PATH", bin.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor()).isZero();

            assertThat(VipScripts.lacking(output, "handover-no-such0"))
                    .containsExactly("no interface handover-no-such0", "arping is not installed (Debian: iputils-arping)");
            assertThat(VipScripts.lacking(output.replace(VipScripts.NO_INTERFACE, "").replace(VipScripts.NO_ARPING, ""), "lo")).isEmpty();
        } finally {
            java.nio.file.Files.deleteIfExists(bin.resolve("ip"));
            java.nio.file.Files.deleteIfExists(bin);
        }
    }
}
