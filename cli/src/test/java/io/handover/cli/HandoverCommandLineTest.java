package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.config.BackendRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HandoverCommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> environment, String... args) {
        return Handover.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    }

    private Path config(String text) throws Exception {
        Path file = dir.resolve("handover.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        assertThat(run(Map.of(), "--help")).isEqualTo(0);

        assertThat(out.toString())
                .contains("config", "status", "version", "--config=FILE")
                .contains("Exit codes:")
                .contains("   0   ok\n")
                .contains("   3   configuration error\n")
                .contains("   4   refused by a safety check or a held lock; nothing was changed\n")
                .contains("  10   MHA hooks only: a non-primary backend failed and MHA may proceed\n");
    }

    /** Start-up: picocli builds each command it is given, and a hook needs only its own. */
    @Test
    void aCommandLineHoldsOnlyTheCommandItNames() {
        Handover handover = new Handover(new PrintWriter(out), new PrintWriter(err), Map.of(), BackendRegistry.discover());

        assertThat(Handover.commandLine(handover, new String[] {"--config", "/x", "--verbose", "mha-hook", "--command=status"})
                .getSubcommands()).containsOnlyKeys("mha-hook");
        assertThat(Handover.commandLine(handover, new String[] {"--config=/x", "status", "--help"}).getSubcommands())
                .containsOnlyKeys("status");
        for (String[] args : new String[][] {{}, {"--help"}, {"stauts"}, {"--config", "/x"}, {"-h", "status"}}) {
            assertThat(Handover.commandLine(handover, args).getSubcommands()).as(String.join(" ", args)).containsKeys(
                    "config", "status", "register", "mha-hook", "mha-online-change", "switchover", "probe", "journal", "version", "migrate");
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run(Map.of(), "status", "--bogus")).isEqualTo(ExitCode.USAGE);

        assertThat(err.toString()).startsWith("handover: Unknown option: '--bogus'")
                .contains("Try 'handover status --help'.");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"status", "register", "mha-hook", "mha-online-change", "journal", "version",
            "switchover", "probe"}) {
            out.getBuffer().setLength(0);
            assertThat(run(Map.of(), command, "--help")).as(command).isZero();
            assertThat(out.toString()).as(command).startsWith("Usage: handover " + command);
        }
        out.getBuffer().setLength(0);
        assertThat(run(Map.of(), "config", "check", "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: handover config check");
    }

    @Test
    void everyCommandListGivesEachCommandAWholeSentence() {
        for (String[] help : new String[][] {{"--help"}, {"config", "--help"}, {"migrate", "--help"}}) {
            out.getBuffer().setLength(0);
            assertThat(run(Map.of(), help)).isZero();
            String list = out.toString().split("Commands:\n", 2)[1].split("\n\n", 2)[0];
            // an entry is "  name  summary", continued on lines indented deeper
            java.util.List<String> entries = java.util.Arrays.stream(list.split("\n(?=  \\S)"))
                    .map(entry -> entry.strip().replaceAll("\\s+", " ")).toList();
            assertThat(entries).as(String.join(" ", help)).isNotEmpty()
                    .allSatisfy(entry -> assertThat(entry).matches("[a-z-]+ [A-Z][^:]*(: [^:]*)?\\."));
        }
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("  mha-hook ", "  switchover ", "  journal ");
    }

    /**
     * picocli wraps each description line at the help's width (80) on its own: a line longer than
     * that must be a whole paragraph, or the help shows a sentence broken into ragged fragments.
     */
    @Test
    void everyHelpDescriptionLineTooLongForOneLineIsAWholeParagraph() {
        Handover handover = new Handover(new PrintWriter(out), new PrintWriter(err), Map.of(), BackendRegistry.discover());
        List<CommandLine> commands = new ArrayList<>(List.of(Handover.commandLine(handover, new String[0])));
        List<String> broken = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            CommandLine command = commands.get(i);
            commands.addAll(command.getSubcommands().values());
            for (String line : command.getCommandSpec().usageMessage().description()) {
                if (line.length() > command.getCommandSpec().usageMessage().width() && !line.matches("(?s).*[.:)]")) {
                    broken.add(command.getCommandSpec().qualifiedName() + ": " + line);
                }
            }
        }
        assertThat(commands).hasSizeGreaterThan(10);
        assertThat(broken).isEmpty();
    }

    @Test
    void eachHookShowsItsAppCnfLineUnwrappedAndOnlyTheCommandsItTakes() {
        assertThat(run(Map.of(), "mha-hook", "--help")).isZero();
        assertThat(out.toString().lines()).contains(
                "  master_ip_failover_script=/opt/handover/bin/handover mha-hook --config=/etc/handover/handover.conf");
        assertThat(out.toString()).contains("  stop, stopssh ", "  status ", "  start ");

        out.getBuffer().setLength(0);
        assertThat(run(Map.of(), "mha-online-change", "--help")).isZero();
        assertThat(out.toString().lines()).contains("  master_ip_online_change_script=/opt/handover/bin/handover"
                + " mha-online-change --config=/etc/handover/handover.conf");
        // MHA 0.58 calls the online change script with stop and start only
        assertThat(out.toString()).contains("  stop ", "  start ").doesNotContain("stopssh").doesNotContain("status");
        assertThat(run(Map.of(), "mha-online-change", "--command=stopssh", "--orig_master_ip=198.51.100.11"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: unknown --command=stopssh; expected stop or start\n");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run(Map.of())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("handover: a command is required");
    }

    @Test
    void versionPrintsOurVersionCommitBuildDateAndJava() {
        assertThat(run(Map.of(), "version")).isEqualTo(0);

        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("handover 0.1.0-SNAPSHOT");
        // the build filled these in: this test runs in a git clone, or reads "unknown" in a build outside git
        assertThat(lines[1]).matches("commit ([0-9a-f]{7,}( with uncommitted changes)?|unknown)");
        assertThat(java.time.Instant.parse(lines[2].substring("built ".length())))
                .isBetween(java.time.Instant.now().minus(java.time.Duration.ofDays(1)), java.time.Instant.now());
        assertThat(lines[3]).startsWith("java " + System.getProperty("java.version"));
    }

    @Test
    void configCheckPrintsTheEffectiveConfigWithoutSecrets() throws Exception {
        Path file = config("""
                handover.clusters.main {
                  mysql { user = handover, password = ${?PW} }
                  hosts = [ { name = db1, address = "198.51.100.11" } ]
                  redirect = [ { backend = recording, label = main-master } ]
                }
                """);

        assertThat(run(Map.of("PW", "sw0rdfish"), "config", "check", "--config", file.toString())).isEqualTo(0);

        assertThat(out.toString()).contains("198.51.100.11").contains("[REDACTED]").doesNotContain("sw0rdfish");
        assertThat(err.toString()).contains("cluster main: 1 hosts, redirect recording main-master")
                .contains("configuration " + file + " is valid");
    }

    @Test
    void configCheckPrintsEveryDefaultMarkedAndWhatItPrintsLoadsToTheSameConfiguration() throws Exception {
        Path file = config("""
                handover.clusters.main {
                  mysql { user = handover, password = s3cret, read-timeout = 7s }
                  hosts = [ { name = db1, address = "198.51.100.11" }, { name = db2, address = "198.51.100.12", port = 3307 } ]
                  redirect = [ { backend = recording, label = main-master } ]
                }
                handover.journal.directory = journal
                """);

        assertThat(run(Map.of(), "config", "check", "--config", file.toString())).isZero();

        String printed = out.toString();
        assertThat(printed).doesNotContain("s3cret")
                .containsPattern("# default\\s+deadline=\"30s\"")
                .containsPattern("# default\\s+connect-timeout=\"2s\"")
                .containsPattern("# default\\s+secondary-failure=abort")
                .containsPattern("# default\\s+drain-timeout=\"2s\"")
                .containsPattern("# default\\s+backend=file")
                .containsPattern("# default\\s+candidate=true")
                // a backend's defaults too, and what the file sets is not marked
                .containsPattern("# default\\s+timeout=\"1s\"")
                .containsPattern("[^t]\\s+read-timeout=\"7s\"")
                .containsPattern("[^t]\\s+port=3307");
        assertThat(printed.lines().filter(line -> line.strip().equals("port=3306")).count()).isEqualTo(1);

        // pasted back as a file, it means the same
        Path again = dir.resolve("again.conf");
        Files.writeString(again, printed);
        out.getBuffer().setLength(0);
        assertThat(run(Map.of(), "config", "check", "--config", again.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("# default")
                .isEqualTo(printed.replaceAll("\\n *# default", ""));
    }

    @Test
    void configFileComesFromTheEnvironmentWhenNotGiven() throws Exception {
        Path file = config("handover.clusters { }");

        assertThat(run(Map.of("HANDOVER_CONFIG", file.toString()), "config", "check")).isEqualTo(ExitCode.CONFIG);

        assertThat(err.toString()).isEqualTo("handover: 1 problem in " + file + ":\n"
                + "  handover.clusters: no cluster is configured (" + file + ":1)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void missingDefaultConfigExitsThreeWithAHint() {
        assertThat(run(Map.of(), "status")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).isEqualTo("handover: 1 problem in /etc/handover/handover.conf:\n"
                + "  (file): configuration file not found (give --config FILE or set HANDOVER_CONFIG)"
                + " (/etc/handover/handover.conf)\n");
    }

    @Test
    void unknownClusterIsAUsageErrorNamingTheKnownOnes() throws Exception {
        Path file = config("""
                handover.clusters.main {
                  mysql { user = handover, password = x }
                  hosts = [ { name = db1, address = "198.51.100.11" } ]
                  redirect = [ { backend = recording, label = m } ]
                }
                """);

        assertThat(run(Map.of(), "--config=" + file, "status", "--cluster", "nope")).isEqualTo(ExitCode.USAGE);

        assertThat(err.toString()).isEqualTo("handover: no cluster named 'nope' in " + file + "; clusters: main\n");
    }

    @Test
    void unreachableHostMakesStatusFailQuicklyWithTheError() throws Exception {
        // 127.0.0.1:1 refuses at once: nothing listens on port 1.
        Path file = config("""
                handover.clusters.main {
                  mysql { user = handover, password = x, connect-timeout = 1s }
                  hosts = [ { name = db1, address = "127.0.0.1", port = 1 } ]
                  redirect = [ { backend = recording, label = m } ]
                }
                """);

        long start = System.nanoTime();
        assertThat(run(Map.of(), "status", "--config", file.toString())).isEqualTo(ExitCode.FAILED);

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
        assertThat(out.toString()).contains("cluster main: UNHEALTHY", "db1", "unreachable",
                "- db1 is unreachable: Communications link failure", "- no writable master");
    }

    @Test
    void noInputMakesAStackTraceOnlyAConfigurationError() throws Exception {
        Path deep = config("a {".repeat(20_000) + "}".repeat(20_000));

        assertThat(run(Map.of(), "config", "check", "--config", deep.toString())).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).isEqualTo("handover: 1 problem in " + deep + ":\n  (syntax): objects and lists are nested"
                + " too deeply to read (more than the parser's stack holds); handover's configuration needs a handful of levels ("
                + deep + ")\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "config", "check", "--config", "/dev/zero")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).isEqualTo("handover: 1 problem in /dev/zero:\n"
                + "  (file): '/dev/zero' is not a regular file (/dev/zero)\n");
    }

    @Test
    void aDurationOnTheCommandLineNeedsAUnit() {
        assertThat(run(Map.of(), "probe", "--cluster", "main", "--duration", "2")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Invalid value for option '--duration': '2' has no unit: write it"
                + " with one (10ms, 30s, 2m)\nTry 'handover probe --help'.\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "probe", "--cluster", "main", "--interval", "0.5")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Invalid value for option '--interval': '0.5' has no unit: write it"
                + " with one (10ms, 30s, 2m)\nTry 'handover probe --help'.\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "probe", "--cluster", "main", "--interval", "500us")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Invalid value for option '--interval': '500us' must be at least 1ms"
                + "\nTry 'handover probe --help'.\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "probe", "--cluster", "main", "--duration", "1000000 days")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Invalid value for option '--duration': '1000000 days' must be at"
                + " most 24h\nTry 'handover probe --help'.\n");
    }

    @Test
    void usageErrorsNeverEchoASecretFromTheCommandLine() throws Exception {
        assertThat(run(Map.of(), "mha-hook", "--comand=start", "--new_master_password=s3cr3t", "--orig_master_ip=198.51.100.11"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Missing required option: '--command=CMD'\n"
                + "Try 'handover mha-hook --help'.\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "mha-hok", "--command=start", "--orig_master_password=s3cr3t", "--new_master_password=0th3r"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Unmatched arguments from index 0: 'mha-hok', '--command=start',"
                + " '--orig_master_password=[REDACTED]', '--new_master_password=[REDACTED]'\n"
                + "Did you mean: mha-hook, mha-online-change, switchover?\n"
                + "Try 'handover --help'.\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "status", "--new_master_password", "s3cr3t", "--token=abc")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Unknown options: '--new_master_password', '[REDACTED]', '--token=[REDACTED]'\n"
                + "Try 'handover status --help'.\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "mha-hook", "--command=start", "--orig_master_port=s3cr3t", "--new_master_password=s3cr3t"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Invalid value for option '--orig_master_port': '[REDACTED]' is not an int\n"
                + "Try 'handover mha-hook --help'.\n");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "status", "--clustr=main")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("handover: Unknown option: '--clustr=main'\nDid you mean: --cluster?\n"
                + "Try 'handover status --help'.\n");
    }

    @Test
    void argumentFilesAreNotExpandedSoTheirContentIsNeverPrinted() throws Exception {
        Path arguments = dir.resolve("arguments");
        Files.writeString(arguments, "--new_master_password=fr0mfile\n");

        assertThat(run(Map.of(), "status", "@" + arguments)).isEqualTo(ExitCode.USAGE);

        assertThat(err.toString()).isEqualTo("handover: Unmatched argument at index 1: '@" + arguments + "'\n"
                + "Try 'handover status --help'.\n");
    }

    @Test
    void aShortSecretIsRedactedAsAWholeWordOnly() {
        Redactor redactor = Redactor.of(new String[] {"--new_master_password", "x", "--ssh_secret=longer-value"});

        assertThat(redactor.redact("'x' is not an int; expected x, max, the longer-value; db_password=y"))
                .isEqualTo("'[REDACTED]' is not an int; expected [REDACTED], max, the [REDACTED]; db_password=[REDACTED]");
    }
}
