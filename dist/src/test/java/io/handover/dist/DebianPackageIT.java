package io.handover.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.handover.cli.BashCompletion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The .deb installed, used, removed and purged on this machine with dpkg, as a DBA would. It needs
 * root, dpkg and a Java 17 runtime package (sandbox/run-tests installs one); it skips, saying why,
 * where it could harm a developer's machine: handover already installed, or an /etc/handover of
 * its own. It purges the package whatever happens, and leaves a journal there before as it was.
 */
class DebianPackageIT {

    private static final Path HOME = Path.of("/usr/share/handover");
    private static final Path CONFFILE = Path.of("/etc/handover/handover.conf.example");
    private static final Path JOURNAL = Path.of("/var/lib/handover/journal");
    private static final Path TIMER_ENABLED = Path.of("/etc/systemd/system/timers.target.wants/handover-metrics.timer");

    @Test
    void installsRunsRemovesAndPurges() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "no dpkg: the .deb is not tried");
        assumeTrue(Installed.run(Map.of(), List.of("id", "-u")).stdout().strip().equals("0"), "not root: the .deb is not tried");
        assumeTrue(status().isEmpty(), "a handover package is on this machine (" + status() + "): not touching it");
        assumeTrue(!Files.exists(Path.of("/etc/handover")), "/etc/handover exists: not touching it");
        assumeTrue(Installed.run(Map.of(), List.of("sh", "-c", "dpkg-query -W -f '${db:Status-Status} ${Provides}\\n'"
                + " | grep -q '^installed .*java17-runtime-headless'")).exitCode() == 0,
                "no Java 17 runtime package (apt-get install openjdk-17-jre-headless): the .deb is not tried");
        Path deb = deb();

        boolean stateExisted = Files.exists(Path.of("/var/lib/handover"));   // a run of handover as root made it
        Path record = JOURNAL.resolve("debian-package-it-" + ProcessHandle.current().pid() + ".jsonl");
        try {
            Installed.Run install = dpkg("-i", deb.toString());
            assertThat(install.stdout()).contains("wrote " + HOME + "/lib/handover-java-");
            assertThat(status()).isEqualTo("install ok installed");
            installedWorks();

            // a JVM package changing files under /usr/lib/jvm activates the package's trigger: a new archive
            Files.setLastModifiedTime(archives().get(0), FileTime.fromMillis(0));
            assertThat(Installed.run(Map.of(), List.of("dpkg-trigger", "--no-await", "/usr/lib/jvm")).exitCode()).isZero();
            Installed.Run triggered = dpkg("--triggers-only", "handover");
            assertThat(triggered.stdout()).contains("wrote " + HOME + "/lib/handover-java-");
            assertThat(archives()).hasSize(1);
            assertThat(Files.getLastModifiedTime(archives().get(0)).toMillis()).isPositive();

            // an administrator enables the metrics timer
            Installed.Run enable = Installed.run(Map.of(), List.of("systemctl", "enable", "handover-metrics.timer"));
            assertThat(enable.exitCode()).as(enable.stderr()).isZero();
            assertThat(TIMER_ENABLED).exists();

            // an upgrade (here: the same version again) replaces the archive with one for the new jars
            Installed.Run upgrade = dpkg("-i", deb.toString());
            assertThat(upgrade.stdout()).contains("wrote " + HOME + "/lib/handover-java-");
            assertThat(archives()).hasSize(1);
            assertThat(TIMER_ENABLED).as("an upgrade keeps the timer enabled").exists();

            Files.writeString(record, "{}\n");   // a past run's record
            dpkg("-r", "handover");
            assertThat(status()).isEqualTo("deinstall ok config-files");
            assertThat(Path.of("/usr/bin/handover")).doesNotExist();
            assertThat(HOME).as("the jars and the class data sharing archive went").doesNotExist();
            assertThat(Path.of("/usr/share/man/man1/handover.1.gz")).doesNotExist();
            assertThat(Path.of("/usr/share/bash-completion/completions/handover")).doesNotExist();
            assertThat(Path.of("/lib/systemd/system/handover-metrics.timer")).doesNotExist();
            assertThat(TIMER_ENABLED).as("remove disables the timer").doesNotExist();
            assertThat(CONFFILE).as("a conffile stays until purge").isRegularFile();
            assertThat(record).isRegularFile();

            Installed.Run purge = dpkg("-P", "handover");
            assertThat(status()).isEmpty();
            assertThat(Path.of("/etc/handover")).doesNotExist();
            assertThat(purge.stderr()).contains("kept /var/lib/handover");
            assertThat(record).as("the journal of past runs is kept").isRegularFile();
            assertThat(Path.of("/var/lib/systemd/deb-systemd-helper-enabled/handover-metrics.timer.dsh-also"))
                    .as("deb-systemd-helper's record of the timer goes with purge").doesNotExist();
        } finally {
            if (!status().isEmpty()) {
                Installed.run(Map.of(), List.of("dpkg", "-P", "handover"));
            }
            Files.deleteIfExists(record);
            if (!stateExisted) {
                Installed.run(Map.of(), List.of("rm", "-rf", "/var/lib/handover"));
            }
        }
    }

    /**
     * The copyright file names every jar lib/ ships, and no jar lib/ no longer ships: a dependency
     * added, dropped or upgraded fails here until the file says who holds it and under what license.
     */
    @Test
    void copyrightNamesEveryJarOfLibAndNoOther() throws IOException {
        List<String> jars;
        try (var files = Files.list(Installed.HOME.resolve("lib"))) {
            jars = files.map(file -> "lib/" + file.getFileName()).filter(name -> name.endsWith(".jar")).sorted().toList();
        }
        List<Pattern> named = copyrightFilePatterns(Files.readString(Installed.HOME.resolve("share/doc/handover/copyright")));

        assertThat(jars).as("jars of lib/ that dist/src/main/dist/share/doc/handover/copyright does not name: add each"
                        + " with its holders and license (its POM's <licenses>, its META-INF/LICENSE and NOTICE)")
                .filteredOn(jar -> named.stream().noneMatch(pattern -> pattern.matcher(jar).matches())).isEmpty();
        assertThat(named).as("jars the copyright file names that lib/ no longer holds")
                .filteredOn(pattern -> jars.stream().noneMatch(jar -> pattern.matcher(jar).matches()))
                .map(Pattern::pattern).isEmpty();
    }

    /** Lintian, Debian's package checker, finds no error in the .deb (its warnings: docs/PACKAGING.md). */
    @Test
    void lintianFindsNoError() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/lintian")), "no lintian (apt-get install lintian): the .deb is not checked");
        Installed.Run lintian = Installed.run(Map.of(), List.of("lintian", "--fail-on", "error", deb().toString()));
        assertThat(lintian.exitCode()).as(lintian.stdout() + lintian.stderr()).isZero();
    }

    /**
     * The jars the copyright file's Files fields name (lib/...), as patterns: DEP-5's "*" is any
     * text, "?" one character. The catch-all "*" (handover's own files) names no jar.
     */
    static List<Pattern> copyrightFilePatterns(String copyright) {
        List<Pattern> patterns = new ArrayList<>();
        boolean inFiles = false;
        for (String line : copyright.split("\n")) {
            if (!line.startsWith(" ")) {
                inFiles = line.startsWith("Files:");
            }
            if (inFiles) {
                for (String glob : line.replaceFirst("^Files:", "").trim().split("\\s+")) {
                    if (glob.startsWith("lib/")) {
                        patterns.add(Pattern.compile(Stream.of(glob.split("((?<=[*?])|(?=[*?]))"))
                                .map(part -> part.equals("*") ? ".*" : part.equals("?") ? "." : Pattern.quote(part))
                                .collect(Collectors.joining())));
                    }
                }
            }
        }
        return patterns;
    }

    private static void installedWorks() throws Exception {
        assertThat(Path.of("/usr/bin/handover").toRealPath()).isEqualTo(HOME.resolve("bin/handover"));
        assertThat(archives()).as("postinst made the class data sharing archive").hasSize(1);

        Installed.Run version = Installed.run(Map.of(), List.of("/usr/bin/handover", "version"));
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stdout()).isEqualTo(Installed.handover(Map.of(), "version").stdout());

        Installed.Run check = Installed.run(Map.of("HANDOVER_MYSQL_PASSWORD", "example-secret"),
                List.of("handover", "--config", CONFFILE.toString(), "config", "check"));
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        assertThat(check.stdout()).contains("main-master", "[REDACTED]").doesNotContain("example-secret");

        assertThat(Installed.run(Map.of(), List.of("dpkg-query", "-W", "-f", "${Conffiles}", "handover")).stdout())
                .contains(CONFFILE.toString());
        assertThat(JOURNAL).isDirectory();

        assertThat(Path.of("/usr/share/man/man1/handover-switchover.1.gz")).isRegularFile();
        assertThat(Path.of("/usr/share/doc/handover/docs/consul-acl-policy.hcl")).isRegularFile();
        assertThat(Path.of("/usr/share/doc/handover/README.md")).isRegularFile();
        assertThat(Path.of("/usr/share/doc/handover/copyright")).isRegularFile();
        changelogNamesThisBuild();
        if (Files.isExecutable(Path.of("/usr/bin/man"))) {   // sandbox/run-tests installs man-db
            Installed.Run man = Installed.run(Map.of("MANWIDTH", "100"), List.of("man", "handover-switchover"));
            assertThat(man.exitCode()).as(man.stderr()).isZero();
            assertThat(man.stdout()).contains("handover-switchover - ", "--dry-run");
            assertThat(Installed.run(Map.of(), List.of("man", "-w", "handover")).stdout().strip())
                    .isEqualTo("/usr/share/man/man1/handover.1.gz");
        }

        assertThat(BashCompletion.complete(Path.of("/usr/share/bash-completion/completions/handover"), "handover sw"))
                .containsExactly("switchover");

        Path timer = Path.of("/lib/systemd/system/handover-metrics.timer");
        assertThat(timer).isRegularFile();
        assertThat(TIMER_ENABLED).as("disabled by default").doesNotExist();
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Installed.Run verify = Installed.run(Map.of(), List.of("systemd-analyze", "verify",
                    "/lib/systemd/system/handover-metrics.service", timer.toString()));
            assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        }
    }

    /** The package's changelog.gz is a valid Debian changelog for this package, this version and this commit. */
    private static void changelogNamesThisBuild() throws IOException {
        Path changelog = Files.createTempFile("handover-changelog", "");
        try (var in = new GZIPInputStream(Files.newInputStream(Path.of("/usr/share/doc/handover/changelog.gz")))) {
            Files.write(changelog, in.readAllBytes());
            Installed.Run parsed = Installed.run(Map.of(), List.of("dpkg-parsechangelog", "-l", changelog.toString()));
            assertThat(parsed.exitCode()).as(parsed.stderr()).isZero();
            assertThat(parsed.stderr()).as("dpkg-parsechangelog's warnings").isEmpty();
            String commit = Installed.builtCommit();
            assertThat(parsed.stdout()).contains(
                    "Source: handover\n",
                    "Version: " + packageField("Version") + "\n",
                    "Distribution: unstable\n",
                    "Maintainer: " + packageField("Maintainer") + "\n",
                    commit.equals("unknown") ? "built outside git" : "built from commit " + commit + ".");
        } finally {
            Files.delete(changelog);
        }
    }

    private static String packageField(String name) {
        return Installed.run(Map.of(), List.of("dpkg-query", "-W", "-f", "${" + name + "}", "handover")).stdout().strip();
    }

    private static List<Path> archives() throws IOException {
        try (var files = Files.list(HOME.resolve("lib"))) {
            return files.filter(file -> file.getFileName().toString().matches("handover-java-.*\\.jsa")).toList();
        }
    }

    private static Path deb() {
        try (var files = Files.list(Installed.HOME.getParent())) {
            return files.filter(file -> file.getFileName().toString().matches("handover_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("run mvn package first: no target/handover_*_all.deb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Installed.Run dpkg(String... args) {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(args));
        Installed.Run run = Installed.run(Map.of(), command);
        assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run.stderr()).isZero();
        return run;
    }

    /** dpkg's status of the package ("install ok installed"), empty when dpkg does not know it. */
    private static String status() {
        Installed.Run query = Installed.run(Map.of(), List.of("dpkg-query", "-W", "-f", "${Status}", "handover"));
        return query.exitCode() == 0 && !query.stdout().contains("not-installed") ? query.stdout().strip() : "";
    }
}
