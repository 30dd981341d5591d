package io.handover.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses MHA's calls of the hooks without picocli. MHA always writes {@code --name=value} (and the
 * bare flag {@code --orig_master_is_new_slave}); building picocli's model of a command took about
 * 100 ms of every hook call, on MHA's critical path (docs/PERFORMANCE.md, "The hook's start
 * time"). A command line this parser is not sure of (help, a value in the next word, a number it
 * does not read the same way, a repeated option, no --command) is left to picocli, which then
 * parses it as it always did: one meaning, and MhaCallParserTest holds the two parsers to it.
 */
final class MhaCallParser {

    /** What a command line says: the root options and the hook with its arguments. */
    record Call(Path configFile, boolean verbose, boolean stacktrace, MhaHookProtocol hook) {}

    private Path configFile;
    private boolean verbose;
    private boolean stacktrace;
    private final Set<String> seen = new HashSet<>();

    private MhaCallParser() {}

    /** The call {@code args} make, or null when picocli must parse them. */
    static Call parse(String[] args) {
        return new MhaCallParser().call(args);
    }

    private Call call(String[] args) {
        int i = 0;
        int taken;
        while (i < args.length && (taken = rootOption(args, i)) > 0) {
            i += taken;
        }
        if (i == args.length) {
            return null;
        }
        MhaHookProtocol hook = switch (args[i]) {
            case "mha-hook" -> new MhaHookCommand();
            case "mha-online-change" -> new MhaOnlineChangeCommand();
            default -> null;
        };
        if (hook == null) {
            return null;
        }
        hook.args = new MhaArguments();
        for (i++; i < args.length; ) {
            taken = rootOption(args, i);
            if (taken == 0 && !hookArgument(args[i], hook.args, hook.unmatched)) {
                return null;
            }
            i += Math.max(taken, 1);
        }
        return hook.args.command == null ? null : new Call(configFile, verbose, stacktrace, hook);
    }

    /**
     * How many words of {@code args} from {@code i} are a root option: --verbose, --stacktrace,
     * --config=FILE or --config FILE (picocli takes them before the command and after it); 0 if none.
     */
    private int rootOption(String[] args, int i) {
        String arg = args[i];
        if (arg.equals("--verbose") || arg.equals("--stacktrace")) {
            verbose |= arg.equals("--verbose");
            stacktrace |= arg.equals("--stacktrace");
            return once(arg) ? 1 : 0;
        }
        boolean separate = arg.equals("--config") && i + 1 < args.length && !args[i + 1].startsWith("-");
        String file = separate ? args[i + 1] : arg.startsWith("--config=") ? arg.substring("--config=".length()) : "";
        if (file.isEmpty() || mayBeReadAsOption(file) || !once("--config")) {
            return 0;
        }
        configFile = Path.of(file);
        return separate ? 2 : 1;
    }

    private boolean hookArgument(String arg, MhaArguments args, List<String> unmatched) {
        if (arg.equals("--orig_master_is_new_slave")) {
            args.origMasterIsNewSlave = once(arg);
            return args.origMasterIsNewSlave;
        }
        int equals = arg.indexOf('=');
        if (!arg.startsWith("--") || equals < 0 || equals == arg.length() - 1) {
            return false;
        }
        String name = arg.substring(0, equals);
        String value = arg.substring(equals + 1);
        // "--" ends picocli's options even after '=' (hooks take other option-like values: MhaHookProtocol)
        if (value.equals("--") || !once(name)) {
            return false;
        }
        switch (name) {
            case "--command" -> args.command = value;
            case "--cluster" -> args.cluster = value;
            case "--orig_master_host" -> args.origMasterHost = value;
            case "--orig_master_ip" -> args.origMasterIp = value;
            case "--orig_master_port" -> {
                args.origMasterPort = port(value);
                return args.origMasterPort != null;
            }
            case "--orig_master_user" -> args.origMasterUser = value;
            case "--orig_master_password" -> args.origMasterPassword = value;
            case "--new_master_host" -> args.newMasterHost = value;
            case "--new_master_ip" -> args.newMasterIp = value;
            case "--new_master_port" -> {
                args.newMasterPort = port(value);
                return args.newMasterPort != null;
            }
            case "--new_master_user" -> args.newMasterUser = value;
            case "--new_master_password" -> args.newMasterPassword = value;
            case "--ssh_user" -> args.sshUser = value;
            case "--ssh_options" -> args.sshOptions = value;
            case "--orig_master_ssh_user" -> args.origMasterSshUser = value;
            case "--new_master_ssh_user" -> args.newMasterSshUser = value;
            // picocli's own options, and anything picocli might read as one of them
            case "--help", "--version", "--orig_master_is_new_slave", "--config", "--verbose", "--stacktrace" -> {
                return false;
            }
            default -> unmatched.add(arg); // as picocli's @Unmatched: tolerated, logged by name
        }
        return true;
    }

    /**
     * Whether picocli may take {@code file}, --config's value, for an option or a command, and refuse
     * the line ("Expected parameter for option"), even after '=': {@code --}, an option's name (alone
     * or before '='), a dash and a short option's letter ({@code -hunter2}), a command's name.
     */
    private static boolean mayBeReadAsOption(String value) {
        int equals = value.indexOf('=');
        String name = equals > 0 ? value.substring(0, equals) : value;
        return value.equals("--") || OPTION_NAMES.contains(name) || COMMANDS.contains(value)
                || value.length() > 1 && value.charAt(0) == '-' && (value.charAt(1) == 'h' || value.charAt(1) == 'V');
    }

    /** The names picocli knows on a hook's command line: the hooks' (MhaArguments), the root's and the help options. */
    private static final Set<String> OPTION_NAMES = Set.of("--command", "--cluster", "--orig_master_host", "--orig_master_ip",
            "--orig_master_port", "--orig_master_user", "--orig_master_password", "--new_master_host", "--new_master_ip",
            "--new_master_port", "--new_master_user", "--new_master_password", "--orig_master_is_new_slave", "--ssh_user",
            "--ssh_options", "--orig_master_ssh_user", "--new_master_ssh_user", "--config", "--verbose", "--stacktrace",
            "--help", "-h", "--version", "-V");

    private static final Set<String> COMMANDS = Set.of("mha-hook", "mha-online-change");

    /** False when {@code name} was given before: picocli refuses a repeated option. */
    private boolean once(String name) {
        return seen.add(name);
    }

    /** Plain decimal ports only; anything else (signs, hex, too long) is picocli's to judge. */
    private static Integer port(String value) {
        if (value.length() > 9) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.valueOf(value);
    }

}
