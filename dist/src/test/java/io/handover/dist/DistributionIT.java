package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.handover.cli.BashCompletion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree a user unpacks: launcher, jars, and an example configuration that is valid as shipped. */
class DistributionIT {

    @Test
    void tarballAndTreeHoldLauncherLibrariesAndExample() {
        assertThat(Installed.HOME.resolve("lib")).isDirectoryContaining("glob:**/handover-cli-*.jar")
                .isDirectoryContaining("glob:**/handover-consul-backend-*.jar");
        assertThat(Installed.HOME.resolve("etc/handover.conf.example")).isRegularFile();
        assertThat(Installed.HOME.getParent().toFile().list((dir, name) -> name.matches("handover-.*\\.tar\\.gz"))).hasSize(1);
    }

    @Test
    void exampleConfigurationIsValidAndItsSecretIsRedacted() {
        Installed.Run run = Installed.handover(Map.of("HANDOVER_MYSQL_PASSWORD", "example-secret"),
                "--config", Installed.HOME.resolve("etc/handover.conf.example").toString(), "config", "check");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("198.51.100.13", "main-master", "[REDACTED]").doesNotContain("example-secret");
    }

    @Test
    void exampleConfigurationCarriesEachBackendsOwnHelpVerbatim() throws Exception {
        String example = Files.readString(Installed.HOME.resolve("etc/handover.conf.example"));

        // The backends the installed tree ships: ServiceLoader over lib/ alone, not this test's class path.
        java.net.URLClassLoader lib = lib();
        List<String> helps = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        for (Object factory : java.util.ServiceLoader.load(lib.loadClass("io.handover.api.BackendFactory"), lib)) {
            names.add((String) factory.getClass().getMethod("name").invoke(factory));
            helps.add((String) factory.getClass().getMethod("configHelp").invoke(factory));
        }

        assertThat(names).containsExactlyInAnyOrder("aws-route", "consul", "vip");
        for (int i = 0; i < names.size(); i++) {
            assertThat(example).as(names.get(i)).contains(helps.get(i));
        }
    }

    /** A second provider (a library's logback) would make SLF4J warn on stderr at every start, and pick either. */
    @Test
    void libHoldsOneLoggingProviderHandoversOwn() throws Exception {
        List<String> providers = new java.util.ArrayList<>();
        for (java.net.URL services : java.util.Collections.list(lib().getResources("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"))) {
            try (var in = services.openStream()) {
                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(providers::add);
            }
        }

        assertThat(providers).containsExactly("io.handover.cli.StderrLogging");
    }

    /** The jars of the installed tree's lib/, alone, as the launcher's class path has them. */
    private static java.net.URLClassLoader lib() throws java.io.IOException {
        try (var files = Files.list(Installed.HOME.resolve("lib"))) {
            java.net.URL[] jars = files.filter(file -> file.toString().endsWith(".jar")).map(file -> {
                try {
                    return file.toUri().toURL();
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(java.net.URL[]::new);
            return new java.net.URLClassLoader(jars, ClassLoader.getPlatformClassLoader());
        }
    }

    @Test
    void launcherHonoursJavaHomeAndRefusesAnOldJava() throws Exception {
        var fakeJava = Files.createTempDirectory("old-java");
        Files.createDirectories(fakeJava.resolve("bin"));
        Files.writeString(fakeJava.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        var java = fakeJava.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nexit 99\n");
        java.toFile().setExecutable(true);

        Installed.Run run = Installed.handover(Map.of("JAVA_HOME", fakeJava.toString()), "version");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).isEqualTo("handover: " + java + " is Java 11.0.2; handover needs Java 17 or newer (set JAVA_HOME)\n");
    }

    /** Java 24 and later print four WARNING lines on stderr when Guava, under Guice, uses sun.misc.Unsafe. */
    @Test
    void aNewerJavaPrintsNoWarningOfItsOwn() throws Exception {
        Path newer = newerJava();
        assumeTrue(newer != null, "no Java 24 or later under /usr/lib/jvm: the launcher's option for it is not exercised");

        Installed.Run run = Installed.handover(Map.of("JAVA_HOME", newer.toString(), "HANDOVER_MYSQL_PASSWORD", "example-secret"),
                "--config", Installed.HOME.resolve("etc/handover.conf.example").toString(), "config", "check");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).as(newer.toString()).doesNotContain("WARNING");
    }

    /** A JDK of version 24 or later under /usr/lib/jvm, by its release file, or null. */
    private static Path newerJava() throws java.io.IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (var homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java"))).filter(home -> {
                try {
                    var version = java.util.regex.Pattern.compile("^JAVA_VERSION=\"(\\d+)", java.util.regex.Pattern.MULTILINE)
                            .matcher(Files.readString(home.resolve("release")));
                    return version.find() && Integer.parseInt(version.group(1)) >= 24;
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
        }
    }

    @Test
    void cdsArchiveHasHelpAndRefusesArgumentsWithoutTouchingTheArchive() throws Exception {
        List<Long> archives = archiveTimes();

        Installed.Run help = Installed.handover(Map.of(), "cds-archive", "--help");
        Installed.Run bad = Installed.handover(Map.of(), "cds-archive", "--now");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: handover cds-archive\n").contains("Run it once after unpacking the tarball");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).isEqualTo("handover: cds-archive takes no arguments (see: handover cds-archive --help)\n");
        assertThat(archiveTimes()).isEqualTo(archives);
        assertThat(Installed.handover(Map.of(), "--help").stdout()).contains("handover cds-archive [--help]");
    }

    private static List<Long> archiveTimes() throws java.io.IOException {
        try (var files = Files.list(Installed.HOME.resolve("lib"))) {
            return files.filter(file -> file.toString().endsWith(".jsa")).sorted().map(file -> file.toFile().lastModified()).toList();
        }
    }

    @Test
    void versionRunsThroughTheLauncher() {
        Installed.Run run = Installed.handover(Map.of(), "version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("handover 0.1.0-SNAPSHOT\ncommit " + Installed.builtCommit() + "\nbuilt ")
                .contains("\njava ");
    }

    @Test
    void tarballCarriesCompletionManPagesAndTheMetricsTimer() throws Exception {
        List<String> entries;
        try (var files = Files.list(Installed.HOME.getParent())) {
            var tarball = files.filter(file -> file.getFileName().toString().matches("handover-.*\\.tar\\.gz")).findFirst().orElseThrow();
            entries = Installed.run(Map.of(), List.of("tar", "-tzf", tarball.toString())).stdout().lines()
                    .map(entry -> entry.substring(entry.indexOf('/') + 1)).toList();
        }
        assertThat(entries).contains("share/bash-completion/completions/handover", "share/man/man1/handover.1.gz",
                "share/man/man1/handover-switchover.1.gz", "share/man/man1/handover-config-check.1.gz",
                "etc/systemd/handover-metrics.service", "etc/systemd/handover-metrics.timer",
                "share/doc/handover/README.md", "share/doc/handover/docs/OPERATIONS.md", "share/doc/handover/docs/consul-acl-policy.hcl");

        assertThat(BashCompletion.complete(Installed.HOME.resolve("share/bash-completion/completions/handover"),
                "handover sw")).containsExactly("switchover");
    }

    @Test
    void metricsServiceExportsWhatStatusSaysOfAnUnhealthyCluster(@TempDir Path etc, @TempDir Path textfiles) throws Exception {
        // every server on a closed loopback port: status exits 1, and that export is the one to scrape
        Path config = Files.writeString(etc.resolve("handover.conf"), """
                handover.clusters.main {
                  mysql { user = handover, password = secret, connect-timeout = 200ms }
                  hosts = [ { name = db1, address = "127.0.0.1", port = 1 } ]
                  redirect = [ { backend = consul, service = main-master } ]
                }
                handover.backends.consul { addresses = ["http://127.0.0.1:1"], dns = ["127.0.0.1:1"], dns-timeout = 200ms, request-timeout = 200ms }
                """);
        Installed.Run run = Installed.run(Map.of("TEXTFILE_DIR", textfiles.toString(), "HANDOVER_CONFIG", config.toString(),
                "PATH", Installed.HOME.resolve("bin") + ":/usr/bin:/bin"), List.of("/bin/sh", "-c", metricsServiceScript()));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(textfiles.resolve("handover.prom")).content()
                .contains("handover_cluster_healthy{cluster=\"main\"} 0\n", "handover_host_reachable{cluster=\"main\",host=\"db1\"");
        try (var files = Files.list(textfiles)) {
            assertThat(files).containsExactly(textfiles.resolve("handover.prom"));
        }
    }

    /** The metrics service's command line, as systemd hands it to sh ($$ is systemd's escape for $). */
    private static String metricsServiceScript() throws Exception {
        String execStart = Files.readAllLines(Installed.HOME.resolve("etc/systemd/handover-metrics.service")).stream()
                .filter(line -> line.startsWith("ExecStart=/bin/sh -c '")).findFirst().orElseThrow();
        return execStart.substring("ExecStart=/bin/sh -c '".length(), execStart.length() - 1).replace("$$", "$");
    }

    @Test
    void metricsServiceRenamesACompleteExportIntoPlaceAndKeepsTheLastOneOnFailure(
            @TempDir Path bin, @TempDir Path textfiles) throws Exception {
        // a stand-in handover on the PATH: what is tested is the write-then-rename around it
        String script = metricsServiceScript();
        var handover = bin.resolve("handover");
        Files.writeString(handover, "#!/bin/sh\n[ \"$*\" = \"status --format prometheus\" ] || exit 2\n"
                + "echo 'handover_cluster_healthy{cluster=\"main\"} '$EXPORT; exit $CODE\n");
        handover.toFile().setExecutable(true);
        Map<String, String> environment = new java.util.HashMap<>(Map.of("TEXTFILE_DIR", textfiles.toString(),
                "PATH", bin + ":/usr/bin:/bin"));

        environment.putAll(Map.of("EXPORT", "1", "CODE", "0"));
        assertThat(Installed.run(environment, List.of("/bin/sh", "-c", script)).exitCode()).isZero();
        environment.putAll(Map.of("EXPORT", "0", "CODE", "1"));   // an unhealthy cluster is still an export
        assertThat(Installed.run(environment, List.of("/bin/sh", "-c", script)).exitCode()).isZero();
        assertThat(textfiles.resolve("handover.prom")).hasContent("handover_cluster_healthy{cluster=\"main\"} 0");
        environment.putAll(Map.of("EXPORT", "9", "CODE", "3"));   // a configuration error: no export
        assertThat(Installed.run(environment, List.of("/bin/sh", "-c", script)).exitCode()).isEqualTo(3);

        assertThat(textfiles.resolve("handover.prom")).as("the last good export stays")
                .hasContent("handover_cluster_healthy{cluster=\"main\"} 0");
        try (var files = Files.list(textfiles)) {
            assertThat(files).as("no temporary file is left").containsExactly(textfiles.resolve("handover.prom"));
        }
    }

    @Test
    void metricsUnitsPassSystemdsVerification() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "systemd-analyze is not installed: the units are not verified");
        // MANPATH: systemd checks that the units' Documentation= man page exists
        Installed.Run run = Installed.run(Map.of("MANPATH", Installed.HOME.resolve("share/man") + ":"), List.of(
                "systemd-analyze", "verify", Installed.HOME.resolve("etc/systemd/handover-metrics.service").toString(),
                Installed.HOME.resolve("etc/systemd/handover-metrics.timer").toString()));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).isEmpty();
    }
}
