package io.handover.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigParseable;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import io.handover.api.ConfigProblem;
import io.handover.toolkit.HoconConfigReader;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads HOCON files within bounds, and describes what is wrong with one without quoting it.
 *
 * <p>A configuration is root's own file, but it is read by every hook MHA runs: whatever it is,
 * reading it must end, in bounded memory, with exit 3 and a message, never a hang or a stack
 * trace. So every file read (the main one and each include) must be a regular file of at most
 * {@link #MAX_FILE_BYTES} (a FIFO would block, {@code /dev/zero} would never end), {@code url()}
 * includes are refused (a network read at every hook call, bounded by nothing), and nesting is
 * bounded: the parser is recursive, and 20,000 open braces overflow its stack.
 *
 * <p>Syntax problems say where and what, never the text: an unquoted password with a space or a
 * {@code $} in it is a syntax error whose text the parser would quote.
 */
final class HoconFiles {

    /** Far above any real configuration (the full example is some 10 KiB), far below what could hurt. */
    static final long MAX_FILE_BYTES = 1024 * 1024;
    /** handover's deepest key is 6 levels down; the parser overflows its stack in the thousands. */
    static final int MAX_DEPTH = 64;

    private HoconFiles() {}

    /** Why {@code file}, which exists, cannot be read as configuration; empty if it can. */
    static Optional<String> unfit(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.of("'" + file + "' is not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                return Optional.of("'" + file + "' is larger than " + MAX_FILE_BYTES / 1024 / 1024 + " MiB (" + size
                        + " bytes): not a configuration file");
            }
        } catch (IOException e) {
            return Optional.of("cannot read '" + file + "' (" + e.getClass().getSimpleName() + ")");
        }
        return Optional.empty();
    }

    /** Parses {@code file} (unresolved), reading includes only within the same bounds. */
    static Config parse(Path file) {
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                .setAllowMissing(false).setSyntax(ConfigSyntax.CONF).setIncluder(new BoundedIncluder(null)));
    }

    /** A problem if objects and lists nest deeper than {@link #MAX_DEPTH}; walks without recursion. */
    static Optional<ConfigProblem> tooDeep(ConfigObject root) {
        record Level(ConfigValue value, int depth) {}
        Deque<Level> pending = new ArrayDeque<>();
        pending.push(new Level(root, 0));
        while (!pending.isEmpty()) {
            Level level = pending.pop();
            if (level.depth() > MAX_DEPTH) {
                return Optional.of(new ConfigProblem("(syntax)", "objects and lists are nested more than " + MAX_DEPTH
                        + " levels deep; handover's configuration needs a handful", HoconConfigReader.format(level.value().origin())));
            }
            if (level.value() instanceof ConfigObject object) {
                object.values().forEach(child -> pending.push(new Level(child, level.depth() + 1)));
            } else if (level.value() instanceof ConfigList list) {
                list.forEach(child -> pending.push(new Level(child, level.depth() + 1)));
            }
        }
        return Optional.empty();
    }

    /** The parser's stack overflowed: the file nests far too deep. */
    static ConfigProblem overflow(Path file) {
        return new ConfigProblem("(syntax)", "objects and lists are nested too deeply to read (more than the parser's stack"
                + " holds); handover's configuration needs a handful of levels", file.toString());
    }

    /** What kind of problem the parser met, and where, without any of the file's text. */
    static ConfigProblem problem(ConfigException e) {
        String origin = e.origin() == null ? null : HoconConfigReader.format(e.origin());
        if (e instanceof Refused refused) {
            return new ConfigProblem("(include)", refused.reason, origin);
        }
        if (e instanceof ConfigException.UnresolvedSubstitution) {
            // names the ${VARIABLE}, which is a path, not a value
            return new ConfigProblem("(substitution)", withoutOrigin(e), origin);
        }
        if (e instanceof ConfigException.IO) {
            // names files, which is what the user needs
            return new ConfigProblem("(include)", withoutOrigin(e), origin);
        }
        return new ConfigProblem("(syntax)", describe(withoutOrigin(e), e), origin);
    }

    private static String withoutOrigin(ConfigException e) {
        String message = String.valueOf(e.getMessage());
        if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
            message = message.substring(e.origin().description().length() + 2);
        }
        return message;
    }

    /** The parser's messages, by the fixed text they start with; what they quote is left out. */
    private static final List<Map.Entry<String, String>> KINDS = List.of(
            Map.entry("Expecting close brace } or a comma", "expected a comma, a new line or a closing }"),
            Map.entry("Expecting end of input or a comma", "expected a comma or a new line after a value"),
            Map.entry("Expecting a value but got wrong token", "expected a value"),
            Map.entry("List should have ] or a first element", "expected a list element or a closing ]"),
            Map.entry("List should have ended with ] or had a comma", "expected a comma or a closing ] in a list"),
            Map.entry("unbalanced close brace", "a closing } without an opening {"),
            Map.entry("unbalanced close bracket", "a closing ] without an opening ["),
            Map.entry("Key ", "a key followed by something other than =, : or {"),
            Map.entry("expecting a close parentheses", "an include whose parentheses are not closed"),
            Map.entry("expecting include parameter", "an include that names no file: include \"file.conf\""),
            Map.entry("Cannot concatenate", "a value joins text with an object or a list"));

    /** The tokenizer's reasons, which the parser adds in parentheses. */
    private static final List<Map.Entry<String, String>> REASONS = List.of(
            Map.entry("Reserved character", "a reserved character outside quotes"),
            Map.entry("triple-quoted string was still open", "a \"\"\" string is not closed"),
            Map.entry("string quote was still open", "a quoted string is not closed"),
            Map.entry("was not closed with a }", "a ${ without its closing }"),
            Map.entry("not followed by {", "a $ outside quotes"),
            Map.entry("unescaped newline in quoted strings", "a quoted string runs past the end of its line"),
            Map.entry("had token: end of file", "the file ends before a list is closed"));

    private static String describe(String message, ConfigException e) {
        String kind = KINDS.stream().filter(entry -> message.startsWith(entry.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse(e instanceof ConfigException.BadPath ? "a key or ${...} that is not a valid path" : "not valid HOCON");
        String reason = REASONS.stream().filter(entry -> message.contains(entry.getKey())).map(Map.Entry::getValue).findFirst()
                .map(text -> " (" + text + ")").orElse("");
        return kind + reason + "; a value with any of $\"{}[]:=,+#`^?!@*&\\ in it needs double quotes";
    }

    /** A file include or an url() include refused before anything is read. */
    static final class Refused extends ConfigException.Generic {
        private static final long serialVersionUID = 1L;
        final String reason;

        Refused(String reason) {
            super(reason);
            this.reason = reason;
        }
    }

    /**
     * HOCON's own includer, after a look at every file it could open: {@code include "name"} reads
     * {@code name} or, without an extension, {@code name.conf}, {@code .json} and {@code .properties}
     * next to the including file.
     */
    private static final class BoundedIncluder
            implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {

        private final ConfigIncluder fallback;

        BoundedIncluder(ConfigIncluder fallback) {
            this.fallback = fallback;
        }

        @Override
        public ConfigIncluder withFallback(ConfigIncluder next) {
            return next == fallback ? this : new BoundedIncluder(next);
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            for (String name : candidates(what)) {
                ConfigParseable parseable = context.relativeTo(name);
                if (parseable != null && parseable.origin().filename() != null) {
                    check(Path.of(parseable.origin().filename()));
                }
            }
            return fallback.include(context, what);
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File file) {
            for (String name : candidates(file.getPath())) {
                check(Path.of(name));
            }
            return ((ConfigIncluderFile) fallback).includeFile(context, file);
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL url) {
            throw new Refused("include url(...) is not supported: every hook call would read the network; copy the file"
                    + " and include it with include file(\"...\")");
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String resource) {
            return ((ConfigIncluderClasspath) fallback).includeResources(context, resource);
        }

        private static List<String> candidates(String name) {
            boolean extension = name.endsWith(".conf") || name.endsWith(".json") || name.endsWith(".properties");
            return extension ? List.of(name) : List.of(name, name + ".conf", name + ".json", name + ".properties");
        }

        private static void check(Path file) {
            if (Files.exists(file)) {
                unfit(file).ifPresent(reason -> {
                    throw new Refused("include: " + reason);
                });
            }
        }
    }
}
