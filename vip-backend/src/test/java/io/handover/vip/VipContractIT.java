package io.handover.vip;

import io.handover.api.Host;
import io.handover.api.Redirect;
import io.handover.api.SshOverrides;
import io.handover.toolkit.contract.RedirectContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redirect contract against the sandbox: real sshd, ip and arping in the hosts' namespaces, and
 * real MariaDB answering through the VIP. Uses 198.51.100.51 (NET.51) so as not to meet the
 * sandbox's own VIP (.50). The unreachable redirect binds the same hosts, but its ssh_config sends
 * each of them to an address of the lab's subnet that nothing has (HostName): ssh waits for ARP
 * until its 1 s ConnectTimeout, as for a host whose link is down. Hosts whose own addresses were
 * unroutable would not do: the contract activates its first() host on both redirects.
 */
class VipContractIT extends RedirectContract {

    private static final String VIP = Lab.vip(51);

    @TempDir
    static Path directory;

    private static Lab.Bound lab;
    private static Lab.Bound blackHole;

    @BeforeAll
    static void bindToTheLab() throws IOException {
        if (!Lab.isUp()) {
            return; // each test skips, saying why
        }
        lab = Lab.bind(VIP + "/24");
        Path sshConfig = Files.writeString(directory.resolve("black_hole_ssh_config"), """
                Host %s
                  HostName %s
                Host %s %s
                  HostName %s
                Host *
                  StrictHostKeyChecking no
                  UserKnownHostsFile /dev/null
                  LogLevel ERROR
                """.formatted(Lab.DB1.address(), Lab.BLACK_HOLE_1, Lab.DB2.address(), Lab.DB3.address(), Lab.BLACK_HOLE_2));
        blackHole = Lab.bind(Lab.CLUSTER, Lab.vip(53) + "/24", "config-file = \"" + sshConfig + "\", connect-timeout = 1s", SshOverrides.NONE);
    }

    @BeforeEach
    void theSandboxIsUp() {
        Lab.assumeUp();
    }

    @AfterAll
    static void removeTheVip() {
        if (lab != null) {
            Lab.clear(lab.redirect(), VIP);
            lab.close();
        }
        if (blackHole != null) {
            blackHole.close();
        }
    }

    @Override
    protected Redirect redirect() {
        return lab.redirect();
    }

    @Override
    protected Redirect unreachable() {
        return blackHole.redirect();
    }

    @Override
    protected Host first() {
        return Lab.DB1;
    }

    @Override
    protected Host second() {
        return Lab.DB2;
    }
}
