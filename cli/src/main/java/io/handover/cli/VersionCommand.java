package io.handover.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print handover's version and the Java it runs on.")
final class VersionCommand implements Callable<Integer> {

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
        try (InputStream in = VersionCommand.class.getResourceAsStream("/handover-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "handover " + version(),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            };
        }
    }
}
