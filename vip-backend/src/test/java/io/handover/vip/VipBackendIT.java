package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.SshOverrides;
import io.handover.api.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The VIP moving between the sandbox's hosts as a failover moves it, seen from the client host
 * {@code app}: its ARP cache and its MySQL client. Uses 198.51.100.52 (NET.52); every test leaves
 * it on no host, and every link up.
 */
class VipBackendIT {

    private static final String VIP = Lab.vip(52);
    private static final Duration OPERATION = Duration.ofSeconds(20);
    /** Where a black-hole "sshd" listens in db3's namespace. */
    private static final int STALLED_PORT = 2299;

    private Lab.Bound lab;

    @BeforeEach
    void bind() {
        Lab.assumeUp();
        lab = Lab.bind(VIP + "/24");
        Lab.clear(redirect(), VIP);
    }

    @AfterEach
    void cleanUp() {
        if (lab != null) {
            for (String host : new String[] {"db1", "db2"}) {
                Lab.run("ip", "-n", Lab.PREFIX + "-" + host, "link", "set", "eth0", "up");
            }
            Lab.clear(redirect(), VIP);
            lab.close();
        }
    }

    @Test
    void aClientWhoseArpCacheHeldTheOldMasterReachesTheNewOneAfterTheMove() throws Exception {
        moveTo(Lab.DB1);
        assertThat(Lab.askFromApp(VIP, "SELECT @@server_id")).isEqualTo(Lab.askFromApp(Lab.DB1.address(), "SELECT @@server_id"));
        assertThat(Lab.neighbour("app", VIP)).contains(Lab.mac("db1"));

        moveTo(Lab.DB2);

        // the gratuitous ARP alone moves the client's entry: it sends nothing to the VIP meanwhile
        assertThat(neighbourWithin(Duration.ofSeconds(2), Lab.mac("db2"))).contains(Lab.mac("db2"));
        assertThat(Lab.askFromApp(VIP, "SELECT @@server_id")).isEqualTo(Lab.askFromApp(Lab.DB2.address(), "SELECT @@server_id"));
        assertThat(Lab.holders(VIP)).containsExactly("db2");
    }

    @Test
    void aDeadOldMasterDoesNotBlockItsFailoverAndShowsAsASecondHolderWhenItComesBack() throws Exception {
        moveTo(Lab.DB1);
        Lab.run("ip", "-n", Lab.PREFIX + "-db1", "link", "set", "eth0", "down");

        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(VipRedirect.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings = new ch.qos.logback.core.read.ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        long start = System.nanoTime();
        try {
            redirect().release(Lab.DB1, Reachability.UNREACHABLE, Deadline.after(OPERATION));
        } finally {
            logger.detachAppender(warnings);
        }
        Duration unreachableRelease = Duration.ofNanos(System.nanoTime() - start);
        // a success that released nothing says so, where MHA's log shows it
        assertThat(warnings.list).map(event -> event.getLevel() + " " + event.getFormattedMessage()).anySatisfy(line -> assertThat(line)
                .startsWith("WARN vip " + VIP + " on eth0: release db1: db1 did not answer, so nothing was released: " + VIP
                        + " may remain there until it is fenced or comes back.").contains("status will flag it"));

        start = System.nanoTime();
        BackendException reachable = catchThrowableOfType(BackendException.class,
                () -> redirect().release(Lab.DB1, Reachability.REACHABLE, Deadline.after(Duration.ofSeconds(8))));
        Duration reachableRelease = Duration.ofNanos(System.nanoTime() - start);

        // ssh's ConnectTimeout (3 s) plus 2 s, not the operation's 20 s
        assertThat(unreachableRelease).isLessThan(Duration.ofMillis(6500));
        assertThat(reachable.kind()).as(reachable.getMessage()).isEqualTo(BackendException.Kind.RETRYABLE);
        assertThat(reachable.getMessage()).startsWith("releasing db1 (" + Lab.DB1.endpoint() + ") from vip " + VIP + " on eth0 did not succeed"
                + " by the deadline").contains("cannot reach db1 (root@" + Lab.DB1.address() + " port 22) over ssh for removing " + VIP + "/24: ssh: connect to host "
                        + Lab.DB1.address() + " port 22: Connection timed out");
        assertThat(reachableRelease).isLessThan(Duration.ofMillis(8000 + 1500));

        moveTo(Lab.DB2);
        assertThat(Lab.holders(VIP)).containsExactly("db1", "db2");

        Lab.run("ip", "-n", Lab.PREFIX + "-db1", "link", "set", "eth0", "up");
        RedirectState back = redirect().current(Deadline.after(OPERATION));
        assertThat(back.targets().hosts()).containsExactly(Lab.DB1, Lab.DB2);
        assertThat(back.disagreement(Lab.DB2, "the master")).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("sends clients to " + Lab.DB1 + ", " + Lab.DB2));

        moveTo(Lab.DB2);
        assertThat(Lab.holders(VIP)).containsExactly("db2");
        assertThat(redirect().current(Deadline.after(OPERATION)).disagreement(Lab.DB2, "the master")).isEmpty();
    }

    @Test
    void aHostWhoseSshdStallsAfterItsBannerCostsItsOwnReadBudgetAndDoesNotBlockTheActivation() throws Exception {
        // db3's "sshd" accepts, sends its banner and never answers the key exchange: ConnectTimeout does not cover that
        Path config = Files.createTempFile("handover-stalled-db3", ".ssh_config");
        Files.writeString(config, "Host " + Lab.DB3.address() + "\n  ProxyCommand socat - TCP:%h:" + STALLED_PORT + "\n\n"
                + Files.readString(Lab.SSH_CONFIG));
        Process stalled = new ProcessBuilder("ip", "netns", "exec", Lab.PREFIX + "-db3", "socat",
                "TCP-LISTEN:" + STALLED_PORT + ",bind=" + Lab.DB3.address() + ",reuseaddr,fork",
                "SYSTEM:echo SSH-2.0-OpenSSH_9.2p1 && exec sleep 120").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (Lab.Bound stalledDb3 = Lab.bind(Lab.CLUSTER, VIP + "/24", "config-file = \"" + config + "\"", SshOverrides.NONE)) {
            Thread.sleep(300); // the listener is up
            long start = System.nanoTime();
            stalledDb3.redirect().activate(Lab.DB1, Deadline.after(OPERATION));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // connect-timeout 3 s + 2 s for the read of db3, then DAD's 2 s and the claim: not the operation's 20 s
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            assertThat(Lab.holders(VIP)).containsExactly("db1");
        } finally {
            stalled.descendants().forEach(ProcessHandle::destroyForcibly);
            stalled.destroyForcibly();
            stalled.waitFor();
            Files.deleteIfExists(config);
        }
    }

    @Test
    void anActivationThatCannotReachTheNewMasterTakesTheVipFromNobody() throws Exception {
        moveTo(Lab.DB1);
        Lab.run("ip", "-n", Lab.PREFIX + "-db2", "link", "set", "eth0", "down");

        BackendException unreachable = catchThrowableOfType(BackendException.class,
                () -> redirect().activate(Lab.DB2, Deadline.after(Duration.ofSeconds(8))));

        assertThat(unreachable.kind()).as(unreachable.getMessage()).isEqualTo(BackendException.Kind.RETRYABLE);
        assertThat(unreachable.getMessage()).contains("cannot reach db2 (root@" + Lab.DB2.address() + " port 22) over ssh for reading the addresses");
        assertThat(Lab.holders(VIP)).containsExactly("db1");
    }

    @Test
    void aStaleHolderShowsAsTwoHostsAndActivateTakesItAway() throws Exception {
        moveTo(Lab.DB2);
        Lab.run("ip", "-n", Lab.PREFIX + "-db1", "addr", "add", VIP + "/24", "dev", "eth0");

        RedirectState state = redirect().current(Deadline.after(OPERATION));

        assertThat(state.targets().hosts()).containsExactly(Lab.DB1, Lab.DB2);
        assertThat(state.disagreement(Lab.DB2, "the master")).isPresent();
        assertThat(state.disagreement(Lab.DB1, "the master")).isPresent();

        // what it took the VIP from goes to MHA's log and the journal
        assertThat(redirect().activate(Lab.DB2, Deadline.after(OPERATION))).isEqualTo("replaced db1");

        assertThat(Lab.holders(VIP)).containsExactly("db2");
        assertThat(redirect().current(Deadline.after(OPERATION)).disagreement(Lab.DB2, "the master")).isEmpty();
    }

    @Test
    void duplicateAddressDetectionRefusesAVipThatAMachineOutsideTheClusterHolds() {
        Lab.run("ip", "-n", Lab.PREFIX + "-app", "addr", "add", VIP + "/24", "dev", "eth0");

        BackendException refused = catchThrowableOfType(BackendException.class,
                () -> redirect().activate(Lab.DB2, Deadline.after(OPERATION)));

        assertThat(refused.kind()).isEqualTo(BackendException.Kind.PERMANENT);
        assertThat(refused.getMessage()).isEqualTo(VIP + " is in use on the network: duplicate address detection from db2 (eth0) got an"
                + " answer from MAC " + Lab.mac("app") + "; every other host of cluster lab said it does not hold it, so it is no host of"
                + " the cluster (or its interface is not the one configured). Not adding it there, or clients would reach either."
                + " Remove it from that machine, then run this again");
        assertThat(Lab.holders(VIP)).containsExactly("app");
    }

    @Test
    void aMoveRightAfterAnotherStopsTheOldHostsGratuitousArpSender() throws Exception {
        // a sender left running keeps announcing the VIP after it was deleted, and the next holder's DAD hears it
        redirect().activate(Lab.DB1, Deadline.after(OPERATION));
        Path pidFile = Path.of(VipScripts.pidFile(new VipAddress(VIP, 24), Lab.DB1));
        long sender = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(alive(sender)).as("gratuitous ARP sender " + sender).isTrue();

        redirect().activate(Lab.DB2, Deadline.after(OPERATION));

        assertThat(alive(sender)).as("gratuitous ARP sender " + sender + " of db1").isFalse();
        assertThat(pidFile).doesNotExist();
        assertThat(Lab.holders(VIP)).containsExactly("db2");
    }

    @Test
    void aVerificationThatCannotConnectThroughTheVipAsksWhetherItIsReachableFromHere() throws Exception {
        redirect().activate(Lab.DB1, Deadline.after(OPERATION));
        // every host agrees that db1 holds it, but this machine has no route to it
        Lab.run("ip", "route", "add", "unreachable", VIP + "/32");
        Verification verification;
        try {
            verification = redirect().verify(Lab.DB1, Deadline.after(Duration.ofSeconds(4)));
        } finally {
            Lab.run("ip", "route", "del", "unreachable", VIP + "/32");
        }

        assertThat(verification.passed()).isFalse();
        assertThat(verification.checks()).filteredOn(check -> check.source().equals("holders")).singleElement()
                .satisfies(check -> assertThat(check.passed()).as(check.detail()).isTrue());
        assertThat(verification.checks()).filteredOn(check -> check.source().equals("mysql via VIP " + VIP + ":3306")).singleElement()
                .satisfies(check -> {
                    assertThat(check.passed()).isFalse();
                    assertThat(check.detail()).startsWith("cannot ask " + VIP + ":3306 which MySQL server it is: ")
                            .endsWith(" (is " + VIP + " reachable from this machine? handover verifies by connecting through it)");
                });
    }

    @Test
    void aHolderCheckThatRunsOutOfTimeKeepsItsLastRealAnswer() throws Exception {
        redirect().activate(Lab.DB1, Deadline.after(OPERATION));
        Lab.run("ip", "-n", Lab.PREFIX + "-db2", "addr", "add", VIP + "/24", "dev", "eth0");

        Verification verification = redirect().verify(Lab.DB1, Deadline.after(Duration.ofSeconds(3)));

        // its last try starts with less than ssh's 1 s left: that is no "no host holds"
        assertThat(verification.passed()).isFalse();
        assertThat(verification.checks()).filteredOn(check -> check.source().equals("holders")).singleElement()
                .satisfies(check -> assertThat(check.detail()).startsWith("db1 holds " + VIP + "/24 on eth0; db2 holds " + VIP + "/24 on eth0")
                        .doesNotContain("no host holds").doesNotContain("could not be asked"));
    }

    @Test
    void statusFlagsACandidateWhoseInterfaceDoesNotExistBeforeAFailoverNeedsIt() throws Exception {
        try (Lab.Bound wrongInterface = Lab.bind(Lab.CLUSTER, VIP + "/24", Lab.SSH, SshOverrides.NONE, "interfaces { db2 = eth9 }")) {
            wrongInterface.redirect().activate(Lab.DB1, Deadline.after(OPERATION));

            RedirectState state = wrongInterface.redirect().current(Deadline.after(OPERATION));

            assertThat(state.targets().hosts()).containsExactly(Lab.DB1);
            assertThat(state.disagreement(Lab.DB1, "the master")).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("host db2 cannot answer: db2: no interface eth9 (" + VIP + " could not be added there in a failover)")
                    .doesNotContain("db1:").doesNotContain("db3:"));
        }
    }

    @Test
    void mhasSshUserAndOptionsWinOverTheConfiguration() throws Exception {
        try (Lab.Bound closedPort = Lab.bind(Lab.CLUSTER, VIP + "/24", Lab.SSH + ", port = 2222", SshOverrides.NONE);
                Lab.Bound optionsOpenIt = Lab.bind(Lab.CLUSTER, VIP + "/24", Lab.SSH + ", port = 2222",
                        new SshOverrides(Optional.empty(), Optional.of("-o Port=22")));
                Lab.Bound optionsCloseIt = Lab.bind(Lab.CLUSTER, VIP + "/24", Lab.SSH,
                        new SshOverrides(Optional.empty(), Optional.of(" -p 2222 ")));
                Lab.Bound bogusUser = Lab.bind(Lab.CLUSTER, VIP + "/24", Lab.SSH,
                        new SshOverrides(Optional.of("handover-no-such-user"), Optional.empty()))) {
            assertThat(failure(closedPort.redirect()).getMessage()).contains("port 2222: Connection refused");

            assertThat(optionsOpenIt.redirect().current(Deadline.after(OPERATION)).targets().isEmpty()).isTrue();

            BackendException closed = failure(optionsCloseIt.redirect());
            assertThat(closed.kind()).isEqualTo(BackendException.Kind.RETRYABLE);
            assertThat(closed.getMessage()).contains("port 2222: Connection refused");

            BackendException refused = catchThrowableOfType(BackendException.class,
                    () -> bogusUser.redirect().activate(Lab.DB2, Deadline.after(OPERATION)));
            assertThat(refused.kind()).isEqualTo(BackendException.Kind.PERMANENT);
            // the ssh target, not the MySQL endpoint; and where the login that failed came from
            assertThat(refused.getMessage()).isEqualTo("ssh to db2 (handover-no-such-user@" + Lab.DB2.address() + " port 22) for reading"
                    + " the addresses refused: handover-no-such-user@" + Lab.DB2.address() + ": Permission denied (publickey). (login"
                    + " handover-no-such-user from MHA's --ssh_user (over ssh.user root), port 22 from ssh.port, no MHA --ssh_options,"
                    + " ssh_config " + Lab.SSH_CONFIG + " from ssh.config-file; handover runs ssh as Unix user "
                    + System.getProperty("user.name") + ", whose ~/.ssh keys and known_hosts apply unless the ssh_config names others)");
        }
        assertThat(Lab.holders(VIP)).isEmpty();
    }

    private Redirect redirect() {
        return lab.redirect();
    }

    private void moveTo(Host host) throws BackendException {
        redirect().activate(host, Deadline.after(OPERATION));
        Verification verification = redirect().verify(host, Deadline.after(OPERATION));
        assertThat(verification.passed()).as("verification of %s: %s", host, verification.checks()).isTrue();
    }

    private static BackendException failure(Redirect redirect) {
        return catchThrowableOfType(BackendException.class, () -> redirect.current(Deadline.after(Duration.ofSeconds(10))));
    }

    /** The client's ARP entry for the VIP, polled until it is {@code mac} or the time is up. */
    private static Optional<String> neighbourWithin(Duration limit, String mac) throws InterruptedException {
        Deadline deadline = Deadline.after(limit);
        Optional<String> entry = Lab.neighbour("app", VIP);
        while (!entry.equals(Optional.of(mac)) && !deadline.expired()) {
            Thread.sleep(10);
            entry = Lab.neighbour("app", VIP);
        }
        return entry;
    }

    /** Running, and not a zombie the machine's init has yet to reap. */
    private static boolean alive(long pid) {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        try {
            return Files.readAllLines(status).stream().noneMatch(line -> line.startsWith("State:") && line.contains("Z"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

}
