package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.SshOverrides;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestRemoteShell {

    private static final VipConfig CONFIG = new VipConfig("root", 22, Optional.of(Path.of("/etc/handover/ssh_config")), Duration.ofSeconds(3), 3);

    @Test
    void theConfigurationComesLastSoThatOpenSshKeepsWhatMhaPassed() {
        // OpenSSH keeps the first value of an option: MHA's -p and -l must come before ours
        try (Parallel threads = new Parallel()) {
            RemoteShell shell = new RemoteShell(CONFIG, new SshOverrides(Optional.of("mha"), Optional.of("  -i /root/.ssh/mha   -p 2222 ")), threads);

            assertThat(shell.command(ConfigFixture.DB1, "echo 'hi'", 2)).containsExactly("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=2",
                    "-l", "mha", "-i", "/root/.ssh/mha", "-p", "2222", "-F", "/etc/handover/ssh_config", "-p", "22", "-l", "root",
                    "--", "198.51.100.11", "sh -c 'echo '\\''hi'\\'''");
        }
    }

    @Test
    void withoutOverridesOrConfigFileOnlyTheConfigurationIsPassed() {
        try (Parallel threads = new Parallel()) {
            RemoteShell shell = new RemoteShell(new VipConfig("admin", 2200, Optional.empty(), Duration.ofSeconds(5), 3), SshOverrides.NONE, threads);

            assertThat(shell.command(ConfigFixture.DB2, "true", 5)).containsExactly("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
                    "-p", "2200", "-l", "admin", "--", "198.51.100.12", "sh -c 'true'");
        }
    }
}
