package io.handover.vip;

import static io.handover.vip.ConfigFixture.DB3;
import static org.assertj.core.api.Assertions.assertThat;

import io.handover.vip.ConfigFixture.Loaded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestVipConfig {

    private static final String ENTRY = "address = \"198.51.100.50/24\", interface = eth0";

    @TempDir
    Path directory;

    @Test
    void anEmptyBlockMeansRootOnPort22WithSshsOwnConfigFiles() {
        Loaded loaded = load("", ENTRY);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isEqualTo(new VipConfig("root", 22, Optional.empty(), Duration.ofSeconds(3), 3));
        assertThat(loaded.entry()).isEqualTo(new VipEntry(new VipAddress("198.51.100.50", 24), "eth0", Map.of()));
    }

    @Test
    void everyKeyIsMapped() throws Exception {
        Path sshConfig = Files.writeString(directory.resolve("ssh_config"), "Host *\n  IdentityFile /etc/handover/id_ed25519\n");
        Loaded loaded = load("""
                ssh { user = "mha", port = 2222, config-file = "ssh_config", connect-timeout = 1s }
                garp-count = 5
                """, "address = \"198.51.2.3/16\", interface = bond0, interfaces { db3 = \"eth1\" }");

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config()).isEqualTo(new VipConfig("mha", 2222, Optional.of(sshConfig), Duration.ofSeconds(1), 5));
        assertThat(loaded.entry()).isEqualTo(new VipEntry(new VipAddress("198.51.2.3", 16), "bond0", Map.of(DB3, "eth1")));
        assertThat(loaded.entry().interfaceOf(ConfigFixture.DB1)).isEqualTo("bond0");
        assertThat(loaded.entry().interfaceOf(DB3)).isEqualTo("eth1");
        assertThat(loaded.entry().describe(ConfigFixture.MAIN)).isEqualTo("vip 198.51.2.3 on bond0 (db3: eth1)");
    }

    @Test
    void everyHostMayNameItsOwnInterfaceInsteadOfADefault() {
        Loaded loaded = load("", "address = \"198.51.100.50/24\", interfaces { db1 = eth0, db2 = eth0, db3 = ens3 }");

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.entry().interfaceOf(DB3)).isEqualTo("ens3");
        assertThat(loaded.entry().describe(ConfigFixture.MAIN)).isEqualTo("vip 198.51.100.50 on db1: eth0, db2: eth0, db3: ens3");
    }

    @Test
    void addressesThatAreNoIpv4VipWithAPrefixAreRefused() {
        assertThat(problemsOf("198.51.100.50")).containsExactly("'198.51.100.50' has no prefix length: give the hosts' subnet, such as"
                + " 198.51.100.50/24 (without one, ip addr add makes a /32 with no subnet route)");
        assertThat(problemsOf("db-vip.example.com/24")).containsExactly(
                "'db-vip.example.com/24' is not an IPv4 address with a prefix length, such as 198.51.100.50/24");
        assertThat(problemsOf("2001:db8::50/64")).containsExactly(
                "'2001:db8::50/64' is not an IPv4 address with a prefix length, such as 198.51.100.50/24");
        assertThat(problemsOf("198.51.100.050/24")).containsExactly(
                "'198.51.100.050/24' has a leading zero in '050': tools differ on whether it is octal");
        assertThat(problemsOf("198.51.100.50/08")).containsExactly("'198.51.100.50/08' has a leading zero in '08': tools differ on whether it is octal");
        assertThat(problemsOf("198.51.100.256/24")).containsExactly("'198.51.100.256/24': 256 is not an octet (0-255)");
        assertThat(problemsOf("198.51.100.50/0")).containsExactly("'198.51.100.50/0': the prefix length must be 1-32, got 0");
        assertThat(problemsOf("198.51.100.50/33")).containsExactly("'198.51.100.50/33': the prefix length must be 1-32, got 33");
        assertThat(problemsOf("127.0.0.5/8")).containsExactly(
                "'127.0.0.5/8' is not a unicast address a host can hold (0.x, 127.x and 224.0.0.0 and above are not)");
        assertThat(problemsOf("224.0.0.18/24")).containsExactly(
                "'224.0.0.18/24' is not a unicast address a host can hold (0.x, 127.x and 224.0.0.0 and above are not)");
        assertThat(problemsOf("198.51.100.0/24")).containsExactly("'198.51.100.0/24' is the network address of its subnet, not one a host can hold");
        assertThat(problemsOf("198.51.100.255/24")).containsExactly("'198.51.100.255/24' is the broadcast address of its subnet, not one a host can hold");
        assertThat(problemsOf("198.51.100.12/24")).containsExactly(
                "'198.51.100.12' is the address of host db2: the VIP must be an address of its own, which moves between the hosts");
    }

    @Test
    void aSlash31Or32IsAnAddressLikeAnyOther() {
        // no network or broadcast address there; whether the hosts are in it is another check
        assertThat(VipAddress.parse("198.51.100.0/31", problem -> { throw new AssertionError(problem); })).isPresent();
        assertThat(VipAddress.parse("198.51.100.255/32", problem -> { throw new AssertionError(problem); })).isPresent();
        assertThat(problemsOf("198.51.100.10/31")).isEmpty();
        assertThat(problemsOf("128.0.0.1/1")).isEmpty();
    }

    @Test
    void aVipOnASubnetWithoutAnyOfTheClustersHostsIsRefused() {
        // it would be added, then verify would fail after the whole deadline and leave it behind
        assertThat(problemsOf("10.9.9.50/24")).containsExactly("no host of cluster main is in 10.9.9.0/24: a VIP lives on the hosts'"
                + " subnet (its hosts: 198.51.100.11, 198.51.100.12, 198.51.100.13)");
        assertThat(problemsOf("198.51.100.50/32")).containsExactly("no host of cluster main is in 198.51.100.50/32: a VIP lives on the"
                + " hosts' subnet (its hosts: 198.51.100.11, 198.51.100.12, 198.51.100.13)");
        assertThat(problemsOf("198.51.100.21/30")).containsExactly("no host of cluster main is in 198.51.100.20/30: a VIP lives on the"
                + " hosts' subnet (its hosts: 198.51.100.11, 198.51.100.12, 198.51.100.13)");
        assertThat(problemsOf("198.51.100.9/29")).isEmpty(); // .8-.15: db1-db3
        assertThat(problemsOf("198.51.96.1/20")).isEmpty();
    }

    @Test
    void hostsGivenByNameAreNotResolvedForTheSubnetCheck() {
        io.handover.api.Cluster named = new io.handover.api.Cluster("main", java.util.List.of(ConfigFixture.DB1,
                new io.handover.api.Host("db2", "db2.example.com", 3306, true)));
        ConfigFixture.Loaded loaded = ConfigFixture.load(directory, "", "address = \"10.9.9.50/24\", interface = eth0", named);

        assertThat(loaded.problems()).isEmpty();
    }

    @Test
    void aVipThatIsAHostsOwnAddressIsRefused() {
        assertThat(problemsOf("198.51.100.11/24")).containsExactly(
                "'198.51.100.11' is the address of host db1: the VIP must be an address of its own, which moves between the hosts");
    }

    @Test
    void aMissingAddressOrInterfaceIsReportedWithTheLineOfItsEntry() {
        assertThat(load("", "interface = eth0").problems()).containsExactly(
                "handover.clusters.main.redirect[0].address: missing required key 'address' (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\"").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interface: missing required key 'interface': the network interface that holds"
                        + " the VIP on every host, such as eth0; or one per host: interfaces { db1 = \"...\", db2 = \"...\", db3 = \"...\" }"
                        + " (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\", interfaces { db3 = eth1 }").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interface: missing: interfaces { } names none for db1, db2: give the interface"
                        + " that holds the VIP on the others, such as eth0 (handover.conf:5)");
    }

    @Test
    void interfaceNamesTheKernelWouldRefuseAreRefused() {
        assertThat(load("", "address = \"198.51.100.50/24\", interface = \"eth 0\"").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interface: 'eth 0' is not a Linux interface name (1-15 characters; no '/', ':'"
                        + " or whitespace) (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\", interface = \"eth0:1\"").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interface: labels such as eth0:1 are not interfaces; give the device, eth0 (the VIP"
                        + " is added as a second address, no label needed) (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\", interface = eth0, interfaces { db3 = \"bond0:vip\" }").problems())
                .containsExactly("handover.clusters.main.redirect[0].interfaces.db3: labels such as bond0:vip are not interfaces; give the"
                        + " device, bond0 (the VIP is added as a second address, no label needed) (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\", interface = \"eth0:\"").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interface: 'eth0:' is not a Linux interface name (1-15 characters; no '/', ':'"
                        + " or whitespace) (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\", interface = \"averyveryverylong0\"").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interface: 'averyveryverylong0' is not a Linux interface name (1-15 characters;"
                        + " no '/', ':' or whitespace) (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\", interface = \"..\"").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interface: '..' is not a Linux interface name (1-15 characters; no '/', ':'"
                        + " or whitespace) (handover.conf:5)");
        assertThat(load("", "address = \"198.51.100.50/24\", interface = \"bond0.100\"").problems()).isEmpty();
    }

    @Test
    void perHostInterfacesMustNameHostsOfTheClusterAndValidInterfaces() {
        assertThat(load("", ENTRY + ", interfaces { db4 = eth1, db3 = \"eth/1\" }").problems()).containsExactly(
                "handover.clusters.main.redirect[0].interfaces.db3: 'eth/1' is not a Linux interface name (1-15 characters; no '/',"
                        + " ':' or whitespace) (handover.conf:5)",
                "handover.clusters.main.redirect[0].interfaces.db4: 'db4' is no host of cluster main (its hosts: db1, db2, db3)"
                        + " (handover.conf:5)");
    }

    @Test
    void sshSettingsOutOfRangeAreRefusedNotClamped() {
        assertThat(load("ssh { user = \"\", port = 0, connect-timeout = 1500ms }\ngarp-count = 0", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.user: must not be empty: give the login that may run ip and arping on every host, such as root"
                        + " (handover.conf:3)",
                "handover.backends.vip.ssh.port: 0 is out of range 1-65535 (handover.conf:3)",
                "handover.backends.vip.ssh.connect-timeout: must be whole seconds (ssh's ConnectTimeout counts seconds), got '1500ms':"
                        + " write 2s (handover.conf:3)",
                "handover.backends.vip.garp-count: 0 is out of range 1-20 (handover.conf:4)");
        assertThat(load("ssh { user = \"mha admin\", port = 65536, connect-timeout = 0s }\ngarp-count = 21", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.user: 'mha admin' is not a login name: it contains whitespace (handover.conf:3)",
                "handover.backends.vip.ssh.port: 65536 is out of range 1-65535 (handover.conf:3)",
                "handover.backends.vip.ssh.connect-timeout: must be positive, got '0s' (handover.conf:3)",
                "handover.backends.vip.garp-count: 21 is out of range 1-20 (handover.conf:4)");
        assertThat(load("ssh.connect-timeout = 3", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.connect-timeout: '3' has no unit: ssh's ConnectTimeout counts whole seconds, so write 3s"
                        + " (handover.conf:3)");
        assertThat(load("ssh.connect-timeout = \"2.5\"", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.connect-timeout: '2.5' has no unit: ssh's ConnectTimeout counts whole seconds, so write 3s"
                        + " (handover.conf:3)");
        assertThat(load("ssh.connect-timeout = 500ms", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.connect-timeout: must be whole seconds (ssh's ConnectTimeout counts seconds), got '500ms':"
                        + " write 1s (handover.conf:3)");
        assertThat(load("ssh.connect-timeout = 3s", ENTRY).config().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(load("ssh.connect-timeout = soon", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.connect-timeout: 'soon' is not a duration (use a number and a unit: 500ms, 5s, 1m)"
                        + " (handover.conf:3)");
    }

    @Test
    void theSshConfigFileMustBeAnExistingRegularFile() throws Exception {
        Files.createDirectory(directory.resolve("ssh"));
        assertThat(load("ssh.config-file = \"/nonexistent/ssh_config\"", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.config-file: cannot read '/nonexistent/ssh_config': no such file (handover.conf:3)");
        assertThat(load("ssh.config-file = ssh", ENTRY).problems()).containsExactly(
                "handover.backends.vip.ssh.config-file: 'ssh' is not a regular file (handover.conf:3)"); // the fixture strips the directory
    }

    @Test
    void misspeltKeysAreRefusedWithASuggestion() {
        assertThat(load("ssh { usr = root }\ngarp-cuont = 3", ENTRY + ", interfce = eth1").problems()).containsExactly(
                "handover.backends.vip.ssh.usr: unknown key 'usr' (did you mean 'user'?) (handover.conf:3)",
                "handover.backends.vip.garp-cuont: unknown key 'garp-cuont' (did you mean 'garp-count'?) (handover.conf:4)",
                "handover.clusters.main.redirect[0].interfce: unknown key 'interfce' (did you mean 'interface'?) (handover.conf:6)");
    }

    private Loaded load(String backendKeys, String redirectKeys) {
        return ConfigFixture.load(directory, backendKeys, redirectKeys);
    }

    /** The problems with {@code address}, without their path and origin. */
    private java.util.List<String> problemsOf(String address) {
        String prefix = "handover.clusters.main.redirect[0].address: ";
        return load("", "address = \"" + address + "\", interface = eth0").problems().stream()
                .map(problem -> problem.replace(prefix, "").replace(" (handover.conf:5)", "")).toList();
    }
}
