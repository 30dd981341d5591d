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
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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
            " " + ExitCode.REFUSED + ":refused by a safety check; nothing was changed",
            ExitCode.PROCEED + ":MHA hooks only: a non-primary backend failed and MHA may proceed"},
        subcommands = {
            ConfigCommand.class, StatusCommand.class, RegisterCommand.class, MhaHookCommand.class,
            MhaOnlineChangeCommand.class, SwitchoverCommand.class, ProbeCommand.class, JournalCommand.class,
            VersionCommand.class, MigrateCommand.class},
        footer = {"", "Configuration: --config FILE, else $HANDOVER_CONFIG, else " + Handover.DEFAULT_CONFIG + "."})
public final class Handover implements Callable<Integer> {

    static final String DEFAULT_CONFIG = "/etc/handover/handover.conf";

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: $HANDOVER_CONFIG, else " + DEFAULT_CONFIG + ").")
    private Path configFile;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Log what handover does to stderr.")
    private boolean verbose;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    private boolean stacktrace;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> environment;
    private final BackendRegistry registry;
    private HandoverConfig config;
    private SshOverrides sshOverrides = SshOverrides.NONE;
    private Redactor redactor = Redactor.NONE;

    Handover(PrintWriter out, PrintWriter err, Map<String, String> environment, BackendRegistry registry) {
        this.out = out;
        this.err = err;
        this.environment = Map.copyOf(environment);
        this.registry = registry;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; everything but {@code System.exit}, so that tests run the real thing. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        BackendRegistry registry;
        try {
            registry = BackendRegistry.discover();
        } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
            err.println("handover: " + e.getMessage());
            return ExitCode.CONFIG;
        }
        Handover handover = new Handover(out, err, environment, registry);
        handover.redactor = Redactor.of(args);
        try {
            return commandLine(handover).execute(args);
        } catch (LinkageError | RuntimeException e) {
            // Errors picocli does not hand to the exception handler: a broken installation (lib/).
            return handover.fail(new HandoverException(ExitCode.FAILED, "internal error: " + e
                    + " (is lib/ complete? run with --stacktrace for details)", e));
        } finally {
            handover.closeConfig();
        }
    }

    static CommandLine commandLine(Handover handover) {
        CommandLine commandLine = new CommandLine(handover);
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
        commandLine.setParameterExceptionHandler((exception, args) -> {
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
        new CommandLine(this).usage(err);
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
