package io.handover.vip;

import io.handover.api.Host;
import io.handover.api.SshOverrides;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ssh command line, and what it amounts to: the login, port and ssh_config that ssh will use
 * and where each came from, for messages. Made once per backend: the configuration and MHA's
 * {@code --ssh_user} and {@code --ssh_options} do not change while a hook runs.
 *
 * <p>OpenSSH keeps the <em>first</em> value of an option it is given ({@code -l}, {@code -p},
 * {@code -o}), on the command line too, but the <em>last</em> {@code -F} (docs/VIP.md). So what must
 * hold comes first (BatchMode, a ConnectTimeout within the deadline), then MHA's settings, then the
 * configuration's {@code -p} and {@code -l}; and the configuration's {@code -F} is left out when MHA's
 * options have one, which would otherwise lose to it.
 */
final class SshCommand {

    static final String REDACTED = "[REDACTED]";

    /** OpenSSH 9.2's getopt string (ssh.c): the letters that take a value. */
    private static final String WITH_VALUE = "bceilmopBDEFIJLOQRSwW";
    private static final String SECRET_WORD = "(?:password|passwd|token|secret)";
    /** {@code -o Name=value}, {@code -oName=value}, {@code --name=value}: the name looks secret, the value goes. */
    private static final Pattern SECRET_INLINE = Pattern.compile("(?i)^([\\w.-]*" + SECRET_WORD + "[\\w.-]*=)(.+)$");
    /** {@code --password value}: a secret-looking option name alone, whose value is the next word. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)^-{1,2}[\\w.-]*" + SECRET_WORD + "[\\w.-]*$");
    private static final Pattern PLAIN_WORD = Pattern.compile("[\\w@%+=:,./\\[\\]-]+");

    /** One option MHA's {@code --ssh_options} gave: its letter ({@code o} for {@code -o}) and value. */
    record Option(char letter, String value) {

        /** For {@code -o Name=value} (or {@code Name value}): the value, if the name is {@code name}. */
        Optional<String> setting(String name) {
            if (letter != 'o') {
                return Optional.empty();
            }
            String[] parts = value.strip().split("\\s*[=\\s]\\s*", 2);
            return parts.length == 2 && parts[0].equalsIgnoreCase(name) ? Optional.of(parts[1]) : Optional.empty();
        }
    }

    private final VipConfig config;
    private final Optional<String> mhaUser;
    private final List<String> mhaWords;
    private final List<Option> mhaOptions;

    SshCommand(VipConfig config, SshOverrides overrides) {
        this.config = config;
        this.mhaUser = overrides.user();
        this.mhaWords = overrides.options().map(String::strip).filter(options -> !options.isEmpty())
                .map(options -> List.of(options.split("\\s+"))).orElse(List.of());
        this.mhaOptions = parse(mhaWords);
    }

    /** The ssh command line that runs {@code script} under {@code sh} on {@code host}. */
    List<String> argv(Host host, String script, int connectSeconds) {
        return argv(host, script, connectSeconds, 0);
    }

    /**
     * With {@code aliveSeconds > 0}, also {@code ServerAliveInterval=1} and {@code ServerAliveCountMax=aliveSeconds}
     * (after MHA's options, which win): an established session whose peer went silent ends in that time.
     */
    List<String> argv(Host host, String script, int connectSeconds, int aliveSeconds) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=" + connectSeconds));
        mhaUser.ifPresent(user -> argv.addAll(List.of("-l", user)));
        argv.addAll(mhaWords);
        if (aliveSeconds > 0) {
            argv.addAll(List.of("-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=" + aliveSeconds));
        }
        if (mhaConfigFile().isEmpty()) {
            // ssh keeps the last -F: ours after MHA's would win over it
            config.configFile().ifPresent(file -> argv.addAll(List.of("-F", file.toString())));
        }
        argv.addAll(List.of("-p", String.valueOf(config.port()), "-l", config.user(), "--", host.address(), "sh -c " + quote(script)));
        return argv;
    }

    /** {@code root@198.51.100.11 port 22}: whom ssh logs in as, where, on which port. */
    String target(Host host) {
        return login() + "@" + host.address() + " port " + port();
    }

    /** The login ssh uses: the first of MHA's {@code --ssh_user}, MHA's {@code -l} or {@code -o User=}, {@code ssh.user}. */
    String login() {
        return mhaUser.or(this::mhaLogin).orElse(config.user());
    }

    int port() {
        return mhaPort().map(SshCommand::portNumber).filter(port -> port > 0).orElse(config.port());
    }

    /**
     * What ssh was given and where each setting came from, for a refused login: never a secret (the
     * values of MHA's options whose names look secret are redacted).
     */
    String provenance() {
        String user = mhaUser.isPresent() ? "MHA's --ssh_user (over ssh.user " + config.user() + ")"
                : mhaLogin().isPresent() ? "MHA's --ssh_options (over ssh.user " + config.user() + ")" : "ssh.user";
        String port = mhaPort().map(SshCommand::portNumber).filter(number -> number > 0).isPresent()
                ? "MHA's --ssh_options (over ssh.port " + config.port() + ")" : "ssh.port";
        String options = mhaWords.isEmpty() ? "no MHA --ssh_options" : "MHA's --ssh_options " + String.join(" ", redact(mhaWords));
        String file = mhaConfigFile().map(mha -> "ssh_config " + mha + " from MHA's --ssh_options"
                        + config.configFile().map(ours -> " (over ssh.config-file " + ours + ")").orElse(""))
                .or(() -> config.configFile().map(ours -> "ssh_config " + ours + " from ssh.config-file"))
                .orElse("ssh's own ssh_config files (no ssh.config-file)");
        return "login " + login() + " from " + user + ", port " + port() + " from " + port + ", " + options + ", " + file
                + "; handover runs ssh as Unix user " + System.getProperty("user.name")
                + ", whose ~/.ssh keys and known_hosts apply unless the ssh_config names others";
    }

    /** The command line as one line for a log, shell-quoted, with secret-looking values redacted and a long script summed up. */
    static String display(List<String> argv) {
        List<String> words = new ArrayList<>(redact(argv.subList(0, argv.size() - 1)));
        String remote = argv.get(argv.size() - 1);
        long lines = remote.lines().count();
        List<String> shown = new ArrayList<>();
        for (String word : words) {
            shown.add(PLAIN_WORD.matcher(word).matches() ? word : quote(word));
        }
        shown.add(lines <= 1 ? quote(remote) : "'sh -c <a script of " + lines + " lines>'");
        return String.join(" ", shown);
    }

    /** {@code words} with the values of options whose names contain password, passwd, token or secret replaced. */
    static List<String> redact(List<String> words) {
        List<String> result = new ArrayList<>();
        boolean nextIsSecret = false;
        for (String word : words) {
            if (nextIsSecret) {
                result.add(REDACTED);
                nextIsSecret = false;
                continue;
            }
            Matcher inline = SECRET_INLINE.matcher(word);
            if (inline.matches()) {
                result.add(inline.group(1) + REDACTED);
            } else {
                nextIsSecret = SECRET_NAME.matcher(word).matches();
                result.add(word);
            }
        }
        return result;
    }

    /** {@code text} as one single-quoted shell word. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The ssh_config MHA's options name: the last {@code -F}, as ssh takes it. */
    Optional<Path> mhaConfigFile() {
        Optional<Path> file = Optional.empty();
        for (Option option : mhaOptions) {
            if (option.letter() == 'F') {
                file = Optional.of(Path.of(option.value()));
            }
        }
        return file;
    }

    private Optional<String> mhaLogin() {
        for (Option option : mhaOptions) {
            if (option.letter() == 'l') {
                return Optional.of(option.value());
            }
            Optional<String> user = option.setting("User");
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    private Optional<String> mhaPort() {
        for (Option option : mhaOptions) {
            if (option.letter() == 'p') {
                return Optional.of(option.value());
            }
            Optional<String> port = option.setting("Port");
            if (port.isPresent()) {
                return port;
            }
        }
        return Optional.empty();
    }

    private static int portNumber(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return -1; // ssh refuses it itself, naming it
        }
    }

    /** The options in {@code words} as ssh's getopt reads them: {@code -p 2222}, {@code -p2222}, {@code -qF file}. */
    static List<Option> parse(List<String> words) {
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("-") || word.length() < 2 || word.equals("--")) {
                break; // ssh would take it for the host: nothing after it is an option
            }
            for (int at = 1; at < word.length(); at++) {
                char letter = word.charAt(at);
                if (WITH_VALUE.indexOf(letter) < 0) {
                    continue;
                }
                String value = at + 1 < word.length() ? word.substring(at + 1) : i + 1 < words.size() ? words.get(++i) : "";
                options.add(new Option(letter, value));
                break;
            }
        }
        return options;
    }
}
