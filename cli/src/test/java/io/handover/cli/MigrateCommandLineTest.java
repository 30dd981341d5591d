package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrate commands' usage and the refusals decided before any server is asked (the lab tests the rest: MigrateIT). */
class MigrateCommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path config;

    @BeforeEach
    void configuration() throws Exception {
        config = dir.resolve("handover.conf");
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = x }
                    hosts = [ { name = db1, address = "198.51.100.11" }, { name = db2, address = "198.51.100.12" } ]
                    redirect = [ { backend = recording, label = old } ]
                  }
                }
                """);
    }

    private int run(String... args) {
        return Handover.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("HANDOVER_CONFIG", config.toString()));
    }

    @Test
    void everyMigrateCommandHasHelp() {
        for (String command : new String[] {"check", "clients", "retire", "plan"}) {
            out.getBuffer().setLength(0);
            assertThat(run("migrate", command, "--help")).as(command).isZero();
            assertThat(out.toString()).as(command).startsWith("Usage: handover migrate " + command);
        }
        assertThat(run("migrate", "--help")).isZero();
        assertThat(out.toString()).contains("docs/MIGRATION.md");
    }

    @Test
    void migrateWithoutASubcommandOrWithAnotherTargetIsAUsageError() {
        assertThat(run("migrate")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("migrate needs a subcommand: check, clients, retire or plan");

        assertThat(run("migrate", "plan", "--cluster", "main", "--to", "vip")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("only consul is a migration target");

        assertThat(run("migrate", "check", "--cluster", "nope")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("no cluster named 'nope'");
    }

    @Test
    void planOnAClusterWhoseOnlyRedirectIsConsulSaysThereIsNothingToMigrateAndAsksNoServer() throws Exception {
        // Consul at a closed port: a plan that asked it would say the paths disagree.
        Files.writeString(config, Files.readString(config).replace("{ backend = recording, label = old }",
                "{ backend = consul, service = main-master }") + "handover.backends.consul.addresses = [\"http://127.0.0.1:9\"]\n");

        assertThat(run("migrate", "plan", "--cluster", "main", "--to", "consul")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("cluster main: nothing to migrate, consul is already its only redirect\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void retireRefusesTheOnlyRedirectAndNamesTheRedirectsWhenTheBackendHasNone() {
        assertThat(run("migrate", "retire", "--cluster", "main", "--backend", "recording")).isEqualTo(ExitCode.REFUSED);
        assertThat(err.toString()).contains("refused: recording old is the only redirect of cluster main").doesNotContain("Exception");

        assertThat(run("migrate", "retire", "--cluster", "main", "--backend", "vip")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("cluster main has no vip redirect; its redirects: recording");
    }

    @Test
    void anotherClustersBrokenBlockDoesNotStopMigrateOnThisOne() throws Exception {
        Files.writeString(config, Files.readString(config) + "handover.clusters.other { hosts = [] }\n");

        assertThat(run("migrate", "retire", "--cluster", "main", "--backend", "recording")).as(err.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(err.toString()).contains("refused: recording old is the only redirect of cluster main");
        assertThat(run("migrate", "retire", "--cluster", "other", "--backend", "recording")).isEqualTo(ExitCode.CONFIG);
        assertThat(err.toString()).contains("handover.clusters.other.hosts: must not be empty");
    }

    @Test
    void clientsWithoutAWritableMasterIsRefusedInItsOwnWords() throws Exception {
        Files.writeString(config, """
                handover {
                  journal.directory = journal
                  clusters.main {
                    mysql { user = handover, password = x, connect-timeout = 200ms }
                    hosts = [ { name = db1, address = "127.0.0.1", port = 9 }, { name = db2, address = "127.0.0.2", port = 9 } ]
                    redirect = [ { backend = recording, label = old } ]
                  }
                }
                """);

        assertThat(run("migrate", "clients", "--cluster", "main")).isEqualTo(ExitCode.REFUSED);
        assertThat(err.toString()).contains("refused: cluster main has 0 writable hosts; migrate clients counts the sessions on the master")
                .doesNotContain("retire");
    }
}
