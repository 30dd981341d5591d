package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.SshOverrides;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class TestRemoteShell {

    private static final VipConfig CONFIG = new VipConfig("root", 22, Optional.of(Path.of("/etc/handover/ssh_config")), Duration.ofSeconds(3), 3);
    private static final String UNIX_USER = System.getProperty("user.name");

    @TempDir
    Path directory;

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

    @Test
    void mhasConfigFileWinsOverTheConfigurationsAsSshGShows() throws Exception {
        // OpenSSH keeps the LAST -F it is given: ssh.config-file after MHA's -F would win, so it is left out
        Path ours = Files.writeString(directory.resolve("ours.cfg"), "Host *\n  ServerAliveInterval 11\n  ServerAliveCountMax 9\n");
        Path mhas = Files.writeString(directory.resolve("mha.cfg"), "Host *\n  ServerAliveInterval 22\n");
        VipConfig config = new VipConfig("root", 22, Optional.of(ours), Duration.ofSeconds(3), 3);
        try (Parallel threads = new Parallel()) {
            RemoteShell shell = new RemoteShell(config, new SshOverrides(Optional.empty(),
                    Optional.of("-F " + mhas + " -o ServerAliveCountMax=7 -l mha -p 2222")), threads);

            List<String> argv = shell.command(ConfigFixture.DB1, "true", 3);

            assertThat(sshG(argv)).containsEntry("serveraliveinterval", "22").containsEntry("serveralivecountmax", "7")
                    .containsEntry("user", "mha").containsEntry("port", "2222").containsEntry("batchmode", "yes")
                    .containsEntry("connecttimeout", "3");
            assertThat(argv).containsExactly("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=3", "-F", mhas.toString(),
                    "-o", "ServerAliveCountMax=7", "-l", "mha", "-p", "2222", "-p", "22", "-l", "root", "--", "198.51.100.11", "sh -c 'true'");
        }
    }

    @Test
    void withoutAnMhaConfigFileTheConfigurationsIsUsedAndItsLoginAndPortLoseToMhas() throws Exception {
        Path ours = Files.writeString(directory.resolve("ours.cfg"), "Host *\n  ServerAliveInterval 11\n  Port 2200\n");
        VipConfig config = new VipConfig("root", 22, Optional.of(ours), Duration.ofSeconds(3), 3);
        try (Parallel threads = new Parallel()) {
            Map<String, String> plain = sshG(new RemoteShell(config, SshOverrides.NONE, threads).command(ConfigFixture.DB1, "true", 3));
            Map<String, String> mha = sshG(new RemoteShell(config, new SshOverrides(Optional.of("mha"), Optional.of("-oPort=2222 -qoServerAliveCountMax=5")),
                    threads).command(ConfigFixture.DB1, "true", 3));

            assertThat(plain).containsEntry("serveraliveinterval", "11").containsEntry("user", "root").containsEntry("port", "22");
            assertThat(mha).containsEntry("serveraliveinterval", "11").containsEntry("user", "mha").containsEntry("port", "2222")
                    .containsEntry("serveralivecountmax", "5");
        }
    }

    @Test
    void mhasOptionsAreReadAsSshsGetoptReadsThem() {
        assertThat(SshCommand.parse(List.of("-qF/etc/mha.cfg", "-vp", "2222", "-oUser=mha", "-A", "-l", "admin")))
                .containsExactly(new SshCommand.Option('F', "/etc/mha.cfg"), new SshCommand.Option('p', "2222"),
                        new SshCommand.Option('o', "User=mha"), new SshCommand.Option('l', "admin"));
        SshCommand command = new SshCommand(CONFIG, new SshOverrides(Optional.empty(), Optional.of("-o user=mha -p2222 -F /a -F /b")));
        assertThat(command.target(ConfigFixture.DB1)).isEqualTo("mha@198.51.100.11 port 2222");
        assertThat(command.mhaConfigFile()).contains(Path.of("/b"));
        assertThat(new SshCommand(CONFIG, SshOverrides.NONE).target(ConfigFixture.DB2)).isEqualTo("root@198.51.100.12 port 22");
    }

    @Test
    void aRefusedSshNamesTheSshTargetAndWhereItsSettingsCameFromWithoutSecrets() {
        // ssh refuses the unknown option before it connects: no server is needed
        VipConfig config = new VipConfig("root", 22, Optional.empty(), Duration.ofSeconds(3), 3);
        try (Parallel threads = new Parallel()) {
            RemoteShell shell = new RemoteShell(config, new SshOverrides(Optional.empty(),
                    Optional.of("-A -o SecretThing=hunter2 --password hunter3")), threads);

            BackendException refused = catchThrowableOfType(BackendException.class, () -> shell.run(ConfigFixture.DB1, "reading the addresses",
                    "true", Effect.READ, Deadline.after(Duration.ofSeconds(10))));

            assertThat(refused.kind()).isEqualTo(BackendException.Kind.PERMANENT);
            assertThat(refused.getMessage()).isEqualTo("ssh to db1 (root@198.51.100.11 port 22) for reading the addresses refused:"
                    + " command-line: line 0: Bad configuration option: secretthing (login root from ssh.user, port 22 from ssh.port,"
                    + " MHA's --ssh_options -A -o SecretThing=[REDACTED] --password [REDACTED], ssh's own ssh_config files"
                    + " (no ssh.config-file); handover runs ssh as Unix user " + UNIX_USER + ", whose ~/.ssh keys and known_hosts apply"
                    + " unless the ssh_config names others)");
            assertThat(refused.getMessage()).doesNotContain("hunter").doesNotContain("3306");
        }
    }

    @Test
    void theHintSaysWhichOfMhasSettingsWonOverTheConfigurations() throws Exception {
        Path ours = Files.writeString(directory.resolve("ours.cfg"), "Host *\n");
        Path mhas = Files.writeString(directory.resolve("mha.cfg"), "Host *\n");
        SshCommand command = new SshCommand(new VipConfig("root", 22, Optional.of(ours), Duration.ofSeconds(3), 3),
                new SshOverrides(Optional.of("mha"), Optional.of("-p 2222 -F " + mhas)));

        assertThat(command.provenance()).isEqualTo("login mha from MHA's --ssh_user (over ssh.user root), port 2222 from MHA's"
                + " --ssh_options (over ssh.port 22), MHA's --ssh_options -p 2222 -F " + mhas + ", ssh_config " + mhas + " from MHA's"
                + " --ssh_options (over ssh.config-file " + ours + "); handover runs ssh as Unix user " + UNIX_USER + ", whose ~/.ssh keys"
                + " and known_hosts apply unless the ssh_config names others");
        assertThat(new SshCommand(new VipConfig("root", 22, Optional.of(ours), Duration.ofSeconds(3), 3),
                new SshOverrides(Optional.empty(), Optional.of("-l admin"))).provenance()).startsWith("login admin from MHA's --ssh_options"
                + " (over ssh.user root), port 22 from ssh.port, MHA's --ssh_options -l admin, ssh_config " + ours + " from ssh.config-file;");
    }

    @Test
    void verboseLogsTheSshCommandLineWithSecretLookingValuesRedacted() {
        Logger logger = (Logger) LoggerFactory.getLogger(RemoteShell.class);
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        VipConfig config = new VipConfig("root", 22, Optional.empty(), Duration.ofSeconds(3), 3);
        try (Parallel threads = new Parallel()) {
            RemoteShell shell = new RemoteShell(config, new SshOverrides(Optional.of("mha"),
                    Optional.of("-o PasswordAuthentication=no -oIdentityAgentToken=tok3n -i /root/.ssh/mha")), threads);
            catchThrowableOfType(BackendException.class, () -> shell.run(ConfigFixture.DB1, "reading the addresses",
                    VipScripts.addresses(), Effect.READ, Deadline.after(Duration.ofSeconds(10))));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).map(ILoggingEvent::getFormattedMessage).contains("reading the addresses on db1: ssh -o BatchMode=yes"
                + " -o ConnectTimeout=3 -l mha -o PasswordAuthentication=[REDACTED] -oIdentityAgentToken=[REDACTED] -i /root/.ssh/mha"
                + " -o ServerAliveInterval=1 -o ServerAliveCountMax=3 -p 22 -l root -- 198.51.100.11 'sh -c '\\''LC_ALL=C ip -o -4 addr show'\\'''");
        assertThat(appender.list).map(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains("tok3n"));
    }

    @Test
    void aMultiLineScriptIsSummedUpInTheLog() {
        assertThat(SshCommand.display(List.of("ssh", "-p", "22", "--", "198.51.100.11", "sh -c 'a\nb\nc'")))
                .isEqualTo("ssh -p 22 -- 198.51.100.11 'sh -c <a script of 3 lines>'");
    }

    /** What {@code ssh -G} makes of a command line: the settings it would use, with no server asked. */
    @Test
    void aLoginThatSshRefusesBeforeConnectingIsPermanentNotMaybeApplied() {
        VipConfig config = new VipConfig("root", 22, Optional.empty(), Duration.ofSeconds(3), 3);
        try (Parallel threads = new Parallel()) {
            RemoteShell shell = new RemoteShell(config, new SshOverrides(Optional.of("root;id"), Optional.empty()), threads);
            long start = System.nanoTime();
            BackendException refused = catchThrowableOfType(BackendException.class, () -> shell.run(ConfigFixture.DB1,
                    "removing 198.51.100.50/24", "true", Effect.WRITE, Deadline.after(Duration.ofSeconds(10))));

            assertThat(refused.kind()).as(refused.getMessage()).isEqualTo(BackendException.Kind.PERMANENT);
            assertThat(refused.getMessage()).contains("remote username contains invalid characters").doesNotContain("may have been applied");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    private static Map<String, String> sshG(List<String> argv) throws IOException, InterruptedException {
        List<String> dry = new ArrayList<>(argv);
        dry.add(1, "-G");
        Process process = new ProcessBuilder(dry).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Map<String, String> settings = new LinkedHashMap<>();
        output.lines().map(line -> line.split(" ", 2)).filter(parts -> parts.length == 2).forEach(parts -> settings.putIfAbsent(parts[0], parts[1]));
        return settings;
    }
}
