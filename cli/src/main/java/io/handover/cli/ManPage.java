package io.handover.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One command's manual page in roff, made from the command's own picocli model, so that `man` says
 * what `--help` says: roff needs no toolchain at build time, and man renders it as it is.
 */
final class ManPage {

    private final CommandSpec spec;
    private final StringBuilder roff = new StringBuilder();

    private ManPage(CommandSpec spec) {
        this.spec = spec;
    }

    /** The page's name: "handover", "handover-switchover", "handover-config-check". */
    static String name(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /** The visible subcommands, each once (picocli lists a command again under each alias). */
    static List<CommandSpec> subcommands(CommandSpec spec) {
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CommandSpec> visible = new ArrayList<>();
        for (CommandLine sub : spec.subcommands().values()) {
            if (seen.add(sub) && !sub.getCommandSpec().usageMessage().hidden()) {
                visible.add(sub.getCommandSpec());
            }
        }
        return visible;
    }

    static String render(CommandSpec spec, String version, String date) {
        return new ManPage(spec).render(version, date);
    }

    private String render(String version, String date) {
        String name = name(spec);
        line(".TH \"" + name.toUpperCase(java.util.Locale.ROOT) + "\" 1 \"" + date + "\" \"handover " + version
                + "\" \"handover manual\"");
        line(".nh");   // no hyphenation: options and paths are looked for as written
        line(".ad l");
        section("NAME");
        String[] description = spec.usageMessage().description();
        line(escape(name) + " \\- " + escape(description.length > 0 ? summary(description) : spec.name()));

        section("SYNOPSIS");
        CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        line(escape(help.synopsis(0).strip().replaceAll("\\s+", " ")));

        section("DESCRIPTION");
        lines(description);
        if (spec.usageMessage().footer().length > 0) {
            line(".PP");
            lines(spec.usageMessage().footer());
        }

        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!positionals.isEmpty() || !options.isEmpty()) {
            section("OPTIONS");
            for (PositionalParamSpec positional : positionals) {
                line(".TP");
                line("\\fI" + escape(positional.paramLabel()) + "\\fR");
                lines(positional.description());
            }
            for (OptionSpec option : options) {
                line(".TP");
                line(optionNames(option));
                lines(option.description());
            }
        }

        List<CommandSpec> subcommands = subcommands(spec);
        if (!subcommands.isEmpty()) {
            section("COMMANDS");
            for (CommandSpec sub : subcommands) {
                line(".TP");
                line("\\fB" + escape(sub.name()) + "\\fR");
                line(escape(summary(sub.usageMessage().description())) + ". See \\fB" + escape(name(sub)) + "\\fR(1).");
            }
        }

        Map<String, String> exitCodes = spec.usageMessage().exitCodeList();
        if (!exitCodes.isEmpty()) {
            section("EXIT STATUS");
            exitCodes.forEach((code, meaning) -> definition(code.strip(), meaning));
        }

        if (spec.parent() == null) {
            section("ENVIRONMENT");
            definition("HANDOVER_CONFIG", "The configuration file when --config is not given.");
            definition("JAVA_HOME", "The Java 17 or newer to run; else java on the PATH.");
            definition("JAVA_OPTS", "More options for the JVM.");
            section("FILES");
            definition("/etc/handover/handover.conf", "The configuration; handover.conf.example beside it describes every key.");
            definition("/var/lib/handover/journal", "The journal: one JSON-lines file per cluster (journal.directory).");
        }

        section("SEE ALSO");
        List<String> related = new ArrayList<>();
        if (spec.parent() != null) {
            related.add("\\fB" + escape(name(spec.parent())) + "\\fR(1)");
        }
        for (CommandSpec sub : subcommands) {
            related.add("\\fB" + escape(name(sub)) + "\\fR(1)");
        }
        related.add("the README of handover");
        line(String.join(", ", related));
        return roff.toString();
    }

    private void definition(String term, String text) {
        line(".TP");
        line("\\fB" + escape(term) + "\\fR");
        line(escape(text));
    }

    private String optionNames(OptionSpec option) {
        List<String> names = new ArrayList<>();
        for (String optionName : option.names()) {
            names.add("\\fB" + escape(optionName) + "\\fR");
        }
        String label = option.arity().max() > 0 ? "=\\fI" + escape(option.paramLabel()) + "\\fR" : "";
        return String.join(", ", names) + label;
    }

    private void section(String title) {
        line(".SH " + title);
    }

    /**
     * A picocli description is lines wrapped for --help: roff fills them into paragraphs again. An
     * indented line (a list item) starts a line of its own, and so does the line after it.
     */
    private void lines(String[] text) {
        boolean afterIndented = false;
        for (String element : text) {
            for (String part : element.replace("%n", "\n").replace("%%", "%").split("\n", -1)) {
                boolean indented = part.startsWith(" ");
                if (part.isBlank()) {
                    line(".sp");
                } else {
                    if (afterIndented && !indented) {
                        line(".br");
                    }
                    line(escape(part));
                }
                afterIndented = indented;
            }
        }
    }

    private void line(String text) {
        roff.append(text).append('\n');
    }

    /** The first sentence, for NAME, without its period. */
    private static String summary(String[] description) {
        String text = String.join(" ", description).replace("%n", " ").strip().replaceAll("\\s+", " ");
        int end = text.indexOf(". ");
        String sentence = end >= 0 ? text.substring(0, end) : text;
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }

    /** Backslashes and dashes as roff wants them; a leading dot or quote would be a request. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
