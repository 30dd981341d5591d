package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The completion script and man pages the packages install, asked the way bash and man ask them. */
class ReferenceTest {

    @TempDir
    static Path tree;

    private static Path written() throws IOException {
        if (!Files.exists(tree.resolve(Reference.COMPLETION))) {
            Reference.write(tree);
        }
        return tree;
    }

    @Test
    void bashCompletesCommandsSubcommandsAndOptions() throws Exception {
        assertThat(complete("handover sw")).containsExactly("switchover");
        assertThat(complete("handover switchover --d")).containsExactly("--dry-run");
        assertThat(complete("handover config ")).containsExactly("check");
        assertThat(complete("handover mha-hook --orig")).as("MHA's own arguments are hidden").isEmpty();
    }

    @Test
    void bashCompletesEveryOptionOfEveryCommand() throws Exception {
        List<CommandSpec> commands = new ArrayList<>();
        collect(Reference.commandLine().getCommandSpec(), commands);
        assertThat(commands).extracting(CommandSpec::name).contains("status", "switchover", "check", "version");

        for (CommandSpec command : commands) {
            List<String> options = command.options().stream().filter(o -> !o.hidden())
                    .flatMap(o -> List.of(o.names()).stream()).filter(name -> name.startsWith("--")).toList();
            String line = command.qualifiedName(" ") + " --";
            assertThat(complete(line)).as(line).containsAll(options);
        }
    }

    @Test
    void everyCommandHasAManPageThatManRendersWithoutWarnings() throws Exception {
        Path pages = written().resolve(Reference.MAN_PAGES);
        List<CommandSpec> commands = new ArrayList<>();
        collect(Reference.commandLine().getCommandSpec(), commands);

        for (CommandSpec command : commands) {
            Path page = pages.resolve(command.qualifiedName("-") + ".1.gz");
            String roff = gunzip(page);
            assertThat(roff).as(page.toString()).startsWith(".TH \"" + command.qualifiedName("-").toUpperCase() + "\" 1 ")
                    .contains(".SH NAME\n" + ManPage.escape(command.qualifiedName("-")) + " \\- ");
            for (OptionSpec option : command.options()) {
                if (!option.hidden()) {
                    assertThat(roff).as(page + " " + option.longestName()).contains("\\fB" + ManPage.escape(option.longestName()) + "\\fR");
                }
            }
        }

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "man is not installed: the pages are not rendered");
        Run man = run(List.of("man", "--warnings", "-l", pages.resolve("handover-switchover.1.gz").toString()));
        assertThat(man.stderr()).isEmpty();
        assertThat(man.stdout()).contains("handover-switchover - ")
                .contains("--dry-run").contains("SEE ALSO");
        Run root = run(List.of("man", "--warnings", "-l", pages.resolve("handover.1.gz").toString()));
        assertThat(root.stderr()).isEmpty();
        assertThat(root.stdout()).contains("EXIT STATUS", "configuration error", "handover-switchover(1)", "HANDOVER_CONFIG");
    }

    @Test
    void roffEscapesWhatWouldBeRequests() {
        assertThat(ManPage.escape(".not a request")).isEqualTo("\\&.not a request");
        assertThat(ManPage.escape("'quoted")).isEqualTo("\\&'quoted");
        assertThat(ManPage.escape("--dry-run C:\\dir")).isEqualTo("\\-\\-dry\\-run C:\\edir");
    }

    private static void collect(CommandSpec spec, List<CommandSpec> into) {
        into.add(spec);
        for (CommandSpec sub : ManPage.subcommands(spec)) {
            collect(sub, into);
        }
    }

    private static List<String> complete(String line) throws Exception {
        return BashCompletion.complete(written().resolve(Reference.COMPLETION), line);
    }

    private record Run(String stdout, String stderr) {}

    private static Run run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MANWIDTH", "100");
        Process process = builder.start();
        process.getOutputStream().close();
        var stdout = process.getInputStream().readAllBytes();
        var stderr = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(command.get(0) + " ended").isTrue();
        return new Run(new String(stdout, StandardCharsets.UTF_8), new String(stderr, StandardCharsets.UTF_8));
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
