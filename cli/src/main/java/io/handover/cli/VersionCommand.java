package io.handover.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print handover's version, the commit and date it was built from, and the Java it runs on.")
final class VersionCommand implements Callable<Integer> {

    /** What the build wrote into handover-version.properties (cli's pom). */
    private static final Properties BUILD = load();

    @ParentCommand
    private Handover handover;

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            handover.out().println(line);
        }
        return ExitCode.OK;
    }

    static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    /** The commit the running jars were built from ("1a2b3c4"), or "unknown" for a build outside git. */
    static String commit() {
        String commit = BUILD.getProperty("commit", "unknown");
        return "true".equals(BUILD.getProperty("dirty")) ? commit + " with uncommitted changes" : commit;
    }

    static String buildDate() {
        return BUILD.getProperty("built", "unknown");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/handover-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // every value reads "unknown"
        }
        return properties;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "handover " + version(),
                "commit " + commit(),
                "built " + buildDate(),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            };
        }
    }
}
