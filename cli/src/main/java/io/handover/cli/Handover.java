package io.handover.cli;

import io.handover.api.SshOverrides;
import io.handover.flow.FailedException;
import io.handover.flow.NotConfiguredException;
import io.handover.flow.RefusedException;
import io.handover.config.BackendRegistry;
import io.handover.config.ConfigLoader;
import io.handover.config.ConfigUse;
import io.handover.config.HandoverConfig;
import io.handover.config.InvalidConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(
        name = "handover",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Moves MySQL clients to the new master when the master changes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " " + ExitCode.OK + ":ok",
            " " + ExitCode.FAILED + ":failed (unhealthy cluster, backend error, verification failed)",
            " " + ExitCode.USAGE + ":usage error",
            " " + ExitCode.CONFIG + ":configuration error",
            " " + ExitCode.REFUSED + ":refused by a safety check or a held lock; nothing was changed",
            ExitCode.PROCEED + ":MHA hooks only: a non-primary backend failed and MHA may proceed"},
        footer = {"", "Configuration: --config FILE, else $HANDOVER_CONFIG, else " + Handover.DEFAULT_CONFIG + ".",
            "The launcher's own: handover cds-archive [--help] makes this Java's class data sharing archive (faster start)."})
public final class Handover implements Callable<Integer> {

    static final String DEFAULT_CONFIG = "/etc/handover/handover.conf";

    /** Every command by name, one line each, in the order --help lists them. */
    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("config", ConfigCommand.class);
        COMMANDS.put("status", StatusCommand.class);
        COMMANDS.put("register", RegisterCommand.class);
        COMMANDS.put("mha-hook", MhaHookCommand.class);
        COMMANDS.put("mha-online-change", MhaOnlineChangeCommand.class);
        COMMANDS.put("switchover", SwitchoverCommand.class);
        COMMANDS.put("probe", ProbeCommand.class);
        COMMANDS.put("journal", JournalCommand.class);
        COMMANDS.put("lock", LockCommand.class);
        COMMANDS.put("version", VersionCommand.class);
        COMMANDS.put("migrate", MigrateCommand.class);
    }

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: $HANDOVER_CONFIG, else " + DEFAULT_CONFIG + ").")
    private Path configFile;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Log what handover does to stderr.")
    private boolean verbose;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    private boolean stacktrace;

    @Spec
    private CommandSpec spec;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> environment;
    private final BackendRegistry registry;
    private HandoverConfig config;
    private SshOverrides sshOverrides = SshOverrides.NONE;
    private Redactor redactor = Redactor.NONE;
    private IntConsumer halt = code -> { };

    Handover(PrintWriter out, PrintWriter err, Map<String, String> environment, BackendRegistry registry) {
        this.out = out;
        this.err = err;
        this.environment = Map.copyOf(environment);
        this.registry = registry;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err, System.getenv(), Runtime.getRuntime()::halt);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; everything but {@code System.exit}, so that tests run the real thing. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        return run(args, out, err, environment, code -> { });
    }

    /** @param halt ends the process: what a hook's {@link HookWatchdog} calls when the hook outlives its deadline */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment, IntConsumer halt) {
        BackendRegistry registry;
        try {
            registry = BackendRegistry.discover();
        } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
            err.println("handover: " + e.getMessage());
            return ExitCode.CONFIG;
        }
        Handover handover = new Handover(out, err, environment, registry);
        handover.redactor = Redactor.of(args);
        handover.halt = halt;
        try {
            MhaCallParser.Call mhaCall = MhaCallParser.parse(args);
            if (mhaCall != null) {
                return handover.execute(mhaCall);
            }
            return commandLine(handover, args).execute(args);
        } catch (LinkageError | RuntimeException e) {
            // Errors picocli does not hand to the exception handler: a broken installation (lib/).
            return handover.fail(new HandoverException(ExitCode.FAILED, "internal error: " + e
                    + " (is lib/ complete? run with --stacktrace for details)", e));
        } finally {
            handover.closeConfig();
        }
    }

    /**
     * The command line for {@code args}: the root and the one command they name, as picocli builds
     * each command it is given from its annotations, which the hooks would otherwise pay for every
     * command at every start (MHA waits for each). Help, no command or an unknown one get them all.
     */
    static CommandLine commandLine(Handover handover, String[] args) {
        CommandLine commandLine = new CommandLine(handover);
        String named = commandName(args);
        for (Map.Entry<String, Class<?>> command : COMMANDS.entrySet()) {
            if (named == null || named.equals(command.getKey())) {
                commandLine.addSubcommand(command.getKey(), command.getValue());
            }
        }
        // every Duration option needs a unit, as in the configuration file
        commandLine.registerConverter(java.time.Duration.class, new DurationConverter());
        MhaHookProtocol.showAppCnfWhole(commandLine);
        commandLine.setOut(handover.out);
        commandLine.setErr(handover.err);
        commandLine.setExecutionStrategy(parseResult -> {
            Logging.configure(handover.verbose);
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> handover.fail(exception));
        // @file would read a file given on the command line as arguments, and a usage error would print them
        commandLine.setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler((exception, unused) -> {
            // picocli quotes the arguments it could not use: MHA's passwords among them
            handover.err.println("handover: " + handover.redactor.redact(exception.getMessage()));
            if (exception instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
                handover.err.println("Did you mean: " + handover.redactor.redact(String.join(", ", unmatched.getSuggestions())) + "?");
            }
            handover.err.println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE;
        });
        return commandLine;
    }

    /** Runs what MHA asked for as picocli would have run it, without picocli's cost. */
    private int execute(MhaCallParser.Call call) {
        configFile = call.configFile();
        verbose = call.verbose();
        stacktrace = call.stacktrace();
        call.hook().handover = this;
        Logging.configure(verbose);
        try {
            return call.hook().call();
        } catch (Exception e) {
            return fail(e);
        }
    }

    /** The command {@code args} name after the root's options, or null if none is known or help is asked. */
    private static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> i++;
                case "--verbose", "--stacktrace" -> { }
                default -> {
                    boolean rootOption = args[i].startsWith("--config=");
                    if (!rootOption) {
                        return COMMANDS.containsKey(args[i]) ? args[i] : null;
                    }
                }
            }
        }
        return null;
    }

    private int fail(Exception exception) {
        int code;
        String message;
        if (exception instanceof HandoverException e) {
            code = e.exitCode();
            message = e.getMessage();
        } else if (exception instanceof RefusedException) {
            code = ExitCode.REFUSED;
            message = exception.getMessage();
        } else if (exception instanceof FailedException) {
            code = ExitCode.FAILED;
            message = exception.getMessage();
        } else if (exception instanceof NotConfiguredException) {
            code = ExitCode.CONFIG;
            message = exception.getMessage();
        } else if (exception instanceof InvalidConfigException e) {
            code = ExitCode.CONFIG;
            message = e.getMessage();
        } else {
            code = ExitCode.FAILED;
            message = "unexpected error: " + exception + " (run with --stacktrace for details)";
        }
        err.println("handover: " + redactor.redact(message));
        if (stacktrace) {
            java.io.StringWriter trace = new java.io.StringWriter();
            exception.printStackTrace(new PrintWriter(trace));
            err.print(redactor.redact(trace.toString()));
        }
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        err.println("handover: a command is required");
        spec.commandLine().usage(err);
        return ExitCode.USAGE;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** SSH settings from the caller (MHA), for backends that use SSH; before {@link #config()}. */
    void sshOverrides(SshOverrides overrides) {
        this.sshOverrides = overrides;
    }

    /** Closes what the configuration opened (backends' clients). */
    void closeConfig() {
        if (config != null) {
            config.close();
        }
    }

    IntConsumer halt() {
        return halt;
    }

    BackendRegistry registry() {
        return registry;
    }

    Path configPath() {
        if (configFile != null) {
            return configFile;
        }
        String fromEnvironment = environment.get("HANDOVER_CONFIG");
        return Path.of(fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : DEFAULT_CONFIG);
    }

    /** The configuration, if it has no problem at all. */
    HandoverConfig config() throws InvalidConfigException {
        return config(ConfigUse.EVERYTHING);
    }

    /** The configuration (read once per run), if nothing {@code use} touches has a problem. */
    HandoverConfig config(ConfigUse use) throws InvalidConfigException {
        if (config == null) {
            config = new ConfigLoader(registry, environment, sshOverrides).read(configPath());
        }
        return config.require(use);
    }
}
