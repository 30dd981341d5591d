package io.handover.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs handover command lines with one configuration file, in this JVM; keeps the last run's stdout and stderr. */
final class CommandLines {

    private final Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    CommandLines(Path config) {
        this.config = config;
    }

    int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return Handover.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
