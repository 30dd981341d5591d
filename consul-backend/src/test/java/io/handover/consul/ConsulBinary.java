package io.handover.consul;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the Consul 1.8.7 binary the integration tests run. {@code sandbox/sandbox install} puts it
 * in the repository's {@code .tools/}; {@code -Dhandover.consul.binary=...} overrides. A missing
 * binary fails the tests: skipping would let CI pass without testing the backend at all.
 */
final class ConsulBinary {

    static final String PROPERTY = "handover.consul.binary";

    private ConsulBinary() {}

    static Path locate() {
        String configured = System.getProperty(PROPERTY);
        Path binary = configured != null
                ? Path.of(configured)
                : repositoryRoot().resolve(".tools/consul/usr/bin/consul");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("No Consul binary at " + binary + ": run sandbox/sandbox install from the repository root"
                    + " (CI does), or point -D" + PROPERTY + "= at a Consul 1.8 binary");
        }
        return binary;
    }

    /** The directory that holds this module: the build runs tests in the module's own directory. */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("consul-backend/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No consul-backend/pom.xml above " + start + ": run the tests from the repository");
    }
}
