package io.handover.cli;

import io.handover.config.BackendRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes what the packages install beside the jars, made from the commands at build time so that
 * it never disagrees with them: bash completion for every command and option, and a man page per
 * command. dist's build runs it as {@code Reference TREE}; it writes under TREE/share.
 */
public final class Reference {

    static final String COMPLETION = "share/bash-completion/completions/handover";
    static final String MAN_PAGES = "share/man/man1";

    private Reference() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Reference TREE (writes TREE/" + COMPLETION + " and TREE/" + MAN_PAGES + "/*.1.gz)");
            System.exit(ExitCode.USAGE);
        }
        write(Path.of(args[0]));
    }

    static void write(Path tree) throws IOException {
        CommandLine handover = commandLine();
        Path completion = tree.resolve(COMPLETION);
        Files.createDirectories(completion.getParent());
        Files.writeString(completion, completion(handover));

        Path manPages = tree.resolve(MAN_PAGES);
        Files.createDirectories(manPages);
        writeManPages(handover.getCommandSpec(), manPages);
    }

    /** The commands exactly as {@code handover} builds them: all of them, as for no arguments. */
    static CommandLine commandLine() {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        Handover handover = new Handover(discard, discard, Map.of(), BackendRegistry.discover());
        return Handover.commandLine(handover, new String[0]);
    }

    static String completion(CommandLine handover) {
        String script = AutoComplete.bash("handover", handover);
        // bash-completion sources the file, never runs it: no #! line (Debian flags one)
        return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
    }

    private static void writeManPages(CommandSpec spec, Path directory) throws IOException {
        String page = ManPage.render(spec, VersionCommand.version(), buildDay());
        Files.write(directory.resolve(ManPage.name(spec) + ".1.gz"), gzip(page.getBytes(StandardCharsets.UTF_8)));
        for (CommandSpec sub : ManPage.subcommands(spec)) {
            writeManPages(sub, directory);
        }
    }

    /** As gzip -9n, which Debian wants for man pages: best compression, no name and no time in the header. */
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(data);
        }
        byte[] gzip = bytes.toByteArray();
        gzip[8] = 2;   // XFL "maximum compression": Java's header leaves it 0 whatever the level
        return gzip;
    }

    /** The build's day, the date a man page shows; not today's, so that a page is the same every run. */
    private static String buildDay() {
        String built = VersionCommand.buildDate();
        return built.length() >= 10 ? built.substring(0, 10) : built;
    }
}
