package io.handover.vip;

import io.handover.api.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code handover.backends.vip}: how handover reaches the MySQL hosts over SSH, and how loudly it
 * announces a moved VIP. Shared by every cluster that uses the backend. The keys, their defaults and
 * why each exists are in {@code vip-backend.conf} (see {@link VipBackendFactory#configHelp()}).
 *
 * @param user the SSH login on every host, unless MHA passes {@code --ssh_user}
 * @param port the SSH port, unless MHA's {@code --ssh_options} say otherwise
 * @param configFile an ssh_config to use instead of {@code ~/.ssh/config} and {@code /etc/ssh/ssh_config}
 * @param connectTimeout ssh's ConnectTimeout: how long an unreachable host may cost, in whole seconds
 * @param garpCount how many gratuitous ARP packets announce the VIP after it moved, one a second
 */
record VipConfig(String user, int port, Optional<Path> configFile, Duration connectTimeout, int garpCount) {

    static final VipConfig DEFAULTS = new VipConfig("root", 22, Optional.empty(), Duration.ofSeconds(3), 3);

    static VipConfig read(ConfigReader reader) {
        ConfigReader ssh = reader.object("ssh");
        String user = ssh.string("user", DEFAULTS.user());
        if (user != null && user.isBlank()) {
            ssh.problem("user", "must not be empty: give the login that may run ip and arping on every host, such as root");
        } else if (user != null && !user.matches("\\S+")) {
            ssh.problem("user", "'" + user + "' is not a login name: it contains whitespace");
        }
        int port = ssh.integer("port", DEFAULTS.port(), 1, 65535);
        Optional<Path> configFile = ssh.file("config-file");
        configFile.ifPresent(file -> {
            if (!Files.exists(file)) {
                ssh.problem("config-file", "cannot read '" + file + "': no such file");
            } else if (!Files.isRegularFile(file)) {
                ssh.problem("config-file", "'" + file + "' is not a regular file");
            }
        });
        Duration connectTimeout = connectTimeout(ssh);
        ssh.rejectUnknownKeys();
        int garpCount = reader.integer("garp-count", DEFAULTS.garpCount(), 1, 20);
        reader.rejectUnknownKeys();
        return new VipConfig(user, port, configFile, connectTimeout, garpCount);
    }

    /**
     * Whole seconds, as ssh's ConnectTimeout counts. Its messages name the value to write: a bare
     * number would get the generic "has no unit (500ms, 30s, 1m)", and 500ms would then be refused.
     */
    private static Duration connectTimeout(ConfigReader ssh) {
        String text = ssh.string("connect-timeout", null);
        if (text == null) {
            return DEFAULTS.connectTimeout(); // absent, or of a wrong type (already a problem)
        }
        if (text.strip().matches("\\d+(\\.\\d*)?|\\.\\d+")) {
            ssh.problem("connect-timeout", "'" + text + "' has no unit: ssh's ConnectTimeout counts whole seconds, so write "
                    + wholeSeconds(new java.math.BigDecimal(text.strip()).movePointRight(9).toBigInteger().longValue()));
            return DEFAULTS.connectTimeout();
        }
        Duration duration = ssh.duration("connect-timeout", DEFAULTS.connectTimeout());
        if (duration.toNanos() % 1_000_000_000L != 0) {
            ssh.problem("connect-timeout", "must be whole seconds (ssh's ConnectTimeout counts seconds), got '"
                    + humanize(duration) + "': write " + wholeSeconds(duration.toNanos()));
            return DEFAULTS.connectTimeout();
        }
        return duration;
    }

    /** {@code 3s}: the whole seconds at least as long as {@code nanos}, and at least 1s. */
    private static String wholeSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L) + "s";
    }

    /** ssh's ConnectTimeout, in seconds. */
    int connectSeconds() {
        return (int) connectTimeout.toSeconds();
    }

    private static String humanize(Duration duration) {
        return duration.toNanos() % 1_000_000 == 0 ? duration.toMillis() + "ms" : duration.toNanos() + "ns";
    }
}
