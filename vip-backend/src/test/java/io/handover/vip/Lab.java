package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.handover.api.Backend;
import io.handover.api.BackendSettings;
import io.handover.api.Cluster;
import io.handover.api.ConfigReader;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectContext;
import io.handover.api.SshOverrides;
import io.handover.toolkit.HoconConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox lab ({@code sandbox/sandbox up}): hosts db1-db3 in network namespaces with sshd and
 * MariaDB, the client host {@code app}, and the root namespace on the same subnet. Addresses, names
 * and the state directory follow the sandbox's environment variables ({@code sandbox/sandbox env}),
 * with its defaults. Commands here go straight into the namespaces, not over ssh: they are how a test
 * looks at the lab behind the backend's back. Nothing is killed by name, and traffic stays in the lab.
 */
final class Lab {

    static final String NET = env("HANDOVER_SANDBOX_NET", "198.51.100");
    static final String PREFIX = env("HANDOVER_SANDBOX_PREFIX", "ho");
    static final Path DIR = Path.of(env("HANDOVER_SANDBOX_DIR", Path.of("..", ".sandbox").toAbsolutePath().normalize().toString()));
    static final Path SSH_CONFIG = Path.of(env("HANDOVER_SANDBOX_HANDOVER_SSH_CONFIG", DIR.resolve("ssh/handover_ssh_config").toString()));

    static final Host DB1 = new Host("db1", NET + ".11", 3306, true);
    static final Host DB2 = new Host("db2", NET + ".12", 3306, true);
    static final Host DB3 = new Host("db3", NET + ".13", 3306, true);
    static final Cluster CLUSTER = new Cluster("lab", List.of(DB1, DB2, DB3));
    /** Addresses in the lab's subnet that no namespace has: ARP goes unanswered, ssh times out. */
    static final String BLACK_HOLE_1 = NET + ".97";
    static final String BLACK_HOLE_2 = NET + ".98";

    private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");

    private Lab() {}

    static boolean isUp() {
        return Files.exists(Path.of("/run/netns", PREFIX + "-db1")) && Files.isRegularFile(SSH_CONFIG);
    }

    /** Skips the calling test, saying why, unless the sandbox is up. */
    static void assumeUp() {
        assumeTrue(Files.exists(Path.of("/run/netns", PREFIX + "-db1")),
                "the sandbox is not up (no network namespace " + PREFIX + "-db1): run sandbox/sandbox up, or sandbox/run-tests");
        assumeTrue(Files.isRegularFile(SSH_CONFIG), "the sandbox has no ssh config for handover at " + SSH_CONFIG + ": run sandbox/sandbox up");
    }

    static String vip(int lastOctet) {
        return NET + "." + lastOctet;
    }

    /** A backend and one redirect bound the way the core binds them; closing closes the backend. */
    record Bound(Backend backend, Redirect redirect) implements AutoCloseable {
        @Override
        public void close() {
            backend.close();
        }
    }

    /** The lab's ssh settings: root with the lab key. */
    static final String SSH = "config-file = \"" + SSH_CONFIG + "\"";

    /** A VIP backend for {@code cluster}, with {@code ssh} as its {@code ssh { }} block. */
    static Bound bind(Cluster cluster, String vipCidr, String ssh, SshOverrides overrides) {
        return bind(cluster, vipCidr, ssh, overrides, "");
    }

    /** {@link #bind(Cluster, String, String, SshOverrides)}, with {@code entry} added to the redirect entry ({@code interfaces { db2 = eth9 }}). */
    static Bound bind(Cluster cluster, String vipCidr, String ssh, SshOverrides overrides, String entry) {
        String text = "handover.backends.vip { ssh { " + ssh + " } }\n"
                + "redirect = [{ backend = vip, address = \"" + vipCidr + "\", interface = eth0, " + entry + " }]\n";
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseString(text).resolve());
        ConfigReader redirectEntry = root.objectList("redirect").get(0);
        redirectEntry.string("backend");
        Backend backend = new VipBackendFactory().configure(new BackendSettings(root.object("handover").object("backends").object("vip"),
                Map.of(), overrides));
        Redirect redirect = backend.bind(new RedirectContext(cluster, redirectEntry, identity()));
        redirectEntry.rejectUnknownKeys();
        assertThat(root.problems()).isEmpty();
        return new Bound(backend, redirect);
    }

    static Bound bind(String vipCidr) {
        return bind(CLUSTER, vipCidr, SSH, SshOverrides.NONE);
    }

    /** The account handover uses in the lab: the sandbox's environment, else its handover.conf. */
    static JdbcIdentity identity() {
        String user = System.getenv("HANDOVER_SANDBOX_MYSQL_USER");
        String password = System.getenv("HANDOVER_SANDBOX_MYSQL_PASSWORD");
        if (user == null || password == null) {
            Config conf = ConfigFactory.parseFile(DIR.resolve("handover.conf").toFile()).resolve();
            Config mysql = conf.getObject("handover.clusters").values().iterator().next().atKey("c").getConfig("c.mysql");
            user = mysql.getString("user");
            password = mysql.getString("password");
        }
        return new JdbcIdentity(user, password);
    }

    /** Which of db1-db3 (and app) hold {@code vip}, asked in each namespace directly. */
    static List<String> holders(String vip) {
        List<String> holders = new ArrayList<>();
        for (String host : List.of("db1", "db2", "db3", "app")) {
            if (run("ip", "-n", PREFIX + "-" + host, "-o", "-4", "addr", "show").contains(" inet " + vip + "/")) {
                holders.add(host);
            }
        }
        return holders;
    }

    /** Takes {@code vip} away from every lab host: the backend's release (which stops its announcer), then directly. */
    static void clear(Redirect redirect, String vip) {
        for (Host host : CLUSTER.hosts()) {
            try {
                redirect.release(host, Reachability.REACHABLE, Deadline.after(Duration.ofSeconds(10)));
            } catch (Exception e) {
                // the direct deletion below still runs
            }
        }
        for (String host : List.of("db1", "db2", "db3", "app")) {
            for (String line : run("ip", "-n", PREFIX + "-" + host, "-o", "-4", "addr", "show").split("\n")) {
                Matcher held = Pattern.compile(" (\\S+)\\s+inet (" + Pattern.quote(vip) + "/\\d+) ").matcher(line);
                if (held.find()) {
                    run("ip", "-n", PREFIX + "-" + host, "addr", "del", held.group(2), "dev", held.group(1));
                }
            }
        }
        assertThat(holders(vip)).as("holders of " + vip + " after clearing").isEmpty();
    }

    /** eth0's MAC address in namespace {@code host} (db1, app). */
    static String mac(String host) {
        Matcher matcher = ETHER.matcher(run("ip", "-n", PREFIX + "-" + host, "-o", "link", "show", "eth0"));
        assertThat(matcher.find()).as("a MAC address of eth0 in " + host).isTrue();
        return matcher.group(1);
    }

    /** The MAC address that {@code host}'s ARP cache has for {@code address}, if any. */
    static Optional<String> neighbour(String host, String address) {
        Matcher matcher = LLADDR.matcher(run("ip", "-n", PREFIX + "-" + host, "neigh", "show", address));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Runs a command in namespace {@code host}: {@code ip netns exec ho-HOST ...}. */
    static String in(String host, String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", PREFIX + "-" + host));
        argv.addAll(List.of(command));
        return run(argv.toArray(String[]::new));
    }

    /** {@code sql}'s single value, asked by the mariadb client on the client host {@code app}, connecting to {@code address}. */
    static String askFromApp(String address, String sql) {
        JdbcIdentity account = identity();
        Result result = exec(Map.of("MYSQL_PWD", account.password()), "ip", "netns", "exec", PREFIX + "-app",
                "mariadb", "--connect-timeout=3", "-h", address, "-u", account.user(), "-N", "-B", "-e", sql);
        assertThat(result.exit()).as("mariadb on app to " + address + ": " + result.output()).isZero();
        return result.output().strip();
    }

    /** Runs a command in the root namespace; fails the test unless it exits 0 within 20 s. */
    static String run(String... command) {
        Result result = exec(command);
        assertThat(result.exit()).as(String.join(" ", command) + ": " + result.output()).isZero();
        return result.output();
    }

    record Result(int exit, String output) {}

    static Result exec(String... command) {
        return exec(Map.of(), command);
    }

    static Result exec(Map<String, String> environment, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within 20 s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
