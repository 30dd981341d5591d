package io.handover.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import io.handover.api.Backend;
import io.handover.api.BackendFactory;
import io.handover.api.BackendSettings;
import io.handover.api.Redirect;
import io.handover.api.RedirectContext;
import io.handover.api.SshOverrides;
import io.handover.mysql.MysqlIdentity;
import io.handover.toolkit.HoconConfigReader;
import io.handover.toolkit.Secrets;
import java.util.function.Function;
import io.handover.api.Cluster;
import io.handover.api.ConfigProblem;
import io.handover.api.ConfigReader;
import io.handover.api.Host;
import io.handover.api.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code handover.conf}: parses the HOCON, resolves {@code ${?ENV}} and {@code include},
 * validates everything, and fails once with every problem found.
 */
public final class ConfigLoader {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_REPLICA_LAG = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_JOURNAL_DIRECTORY = "/var/lib/handover/journal";
    public static final int DEFAULT_PORT = 3306;
    /** A hook's and a switchover's deadline: at least what one round of checks takes, at most what MHA should wait. */
    static final Duration MIN_DEADLINE = Duration.ofSeconds(1);
    static final Duration MAX_DEADLINE = Duration.ofHours(1);
    /** Any single wait or timeout. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final Set<String> SSL_MODES = Set.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private final BackendRegistry registry;
    private final Map<String, String> environment;
    private final SshOverrides ssh;

    public ConfigLoader(BackendRegistry registry, Map<String, String> environment) {
        this(registry, environment, SshOverrides.NONE);
    }

    /** @param ssh SSH settings the caller gave (MHA's {@code --ssh_user}, {@code --ssh_options}), for backends that use SSH */
    public ConfigLoader(BackendRegistry registry, Map<String, String> environment, SshOverrides ssh) {
        this.registry = registry;
        this.environment = Map.copyOf(environment);
        this.ssh = ssh;
    }

    /** The configuration, if it has no problem at all ({@code config check}'s view). */
    public HandoverConfig load(Path file) throws InvalidConfigException {
        HandoverConfig config = read(file);
        try {
            return config.require(ConfigUse.EVERYTHING);
        } catch (InvalidConfigException e) {
            config.close();
            throw e;
        }
    }

    /**
     * The configuration with whatever problems it has, for {@link HandoverConfig#require}: one
     * cluster's problems must not stop a command on another. A file that cannot be parsed at all
     * throws.
     */
    public HandoverConfig read(Path file) throws InvalidConfigException {
        if (!Files.exists(file)) {
            throw new InvalidConfigException(file.toString(), List.of(new ConfigProblem("(file)",
                    "configuration file not found (give --config FILE or set HANDOVER_CONFIG)", file.toString())));
        }
        Optional<String> unfit = HoconFiles.unfit(file);
        if (unfit.isPresent()) {
            throw new InvalidConfigException(file.toString(), List.of(new ConfigProblem("(file)", unfit.get(), file.toString())));
        }
        Config resolved;
        try {
            Config parsed = HoconFiles.parse(file);
            // Substitutions see the file first, then the environment we were given (testable, unlike System.getenv).
            Config environmentConfig = ConfigValueFactory.fromMap(Map.copyOf(environment)).toConfig();
            resolved = parsed.resolveWith(parsed.withFallback(environmentConfig),
                    ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException(file.toString(), List.of(HoconFiles.problem(e)));
        } catch (StackOverflowError e) {
            throw new InvalidConfigException(file.toString(), List.of(HoconFiles.overflow(file)));
        }
        Optional<ConfigProblem> tooDeep = HoconFiles.tooDeep(resolved.root());
        if (tooDeep.isPresent()) {
            throw new InvalidConfigException(file.toString(), List.of(tooDeep.get()));
        }
        return validate(file, resolved);
    }

    private HandoverConfig validate(Path file, Config resolved) {
        HoconConfigReader root = HoconConfigReader.of(resolved);
        ConfigReader handover = root.object("handover");
        root.rejectUnknownKeys();
        if (!root.has("handover")) {
            root.problem("handover", "missing required key 'handover'");
        }

        ConfigReader backendsBlock = handover.object("backends");
        Map<String, Backend> backends = new LinkedHashMap<>();
        Function<String, Backend> configured = name -> configure(name, backendsBlock, backends);
        Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
        SharedResources shared = new SharedResources();
        for (Map.Entry<String, ConfigReader> entry : handover.objects("clusters").entrySet()) {
            clusters.put(entry.getKey(), cluster(entry.getKey(), entry.getValue(), configured, shared));
        }
        // a block no cluster uses yet is still checked
        backendsBlock.keys().forEach(configured::apply);
        if (root.has("handover") && clusters.isEmpty()) {
            handover.problem("clusters", "no cluster is configured");
        }
        ConfigReader journal = handover.object("journal");
        Path journalDirectory = journal.file("directory").orElse(Path.of(DEFAULT_JOURNAL_DIRECTORY));
        root.defaulted("handover.journal.directory", journalDirectory);
        journal.rejectUnknownKeys();
        backends.values().removeIf(java.util.Objects::isNull);
        LockSettings lock = LockSettings.read(handover.object("lock"), backends,
                clusters.values().stream().map(ClusterConfig::cluster).toList(), journalDirectory);
        root.defaulted("handover.lock.backend", lock.backend().orElse(LockSettings.FILE));
        if (lock.backend().isEmpty()) {
            root.defaulted("handover.lock.directory", lock.directory());
        }
        handover.rejectUnknownKeys();

        List<ConfigProblem> problems = root.problems().stream().distinct().toList();
        return new HandoverConfig(file, clusters, resolved, root.secretPaths(), root.defaults(), journalDirectory, lock,
                backends, problems, shared.sharedWith());
    }

    /**
     * The backend {@code name}, configured on first use from its {@code handover.backends} block
     * (empty when absent): once per process, its clients shared by every cluster. Null if unknown.
     */
    private Backend configure(String name, ConfigReader backendsBlock, Map<String, Backend> backends) {
        if (backends.containsKey(name)) {
            return backends.get(name);
        }
        BackendFactory factory = registry.get(name);
        Backend backend = null;
        if (factory == null) {
            if (backendsBlock.has(name)) {
                backendsBlock.problem(name, unknownBackend(name));
            }
        } else {
            backend = factory.configure(new BackendSettings(backendsBlock.object(name), environment, ssh));
        }
        backends.put(name, backend);
        return backend;
    }

    private ClusterConfig cluster(String name, ConfigReader reader, Function<String, Backend> backends, SharedResources shared) {
        MysqlSettings mysql = mysql(reader.object("mysql"));
        Map<Host, ConfigReader> hostEntries = hosts(reader);
        List<Host> hosts = List.copyOf(hostEntries.keySet());
        Duration maxLag = reader.duration("max-replica-lag", DEFAULT_MAX_REPLICA_LAG);
        // Servers report lag in whole seconds: 500ms would silently become "any lag at all".
        SwitchoverSettings.wholeSeconds(reader, "max-replica-lag", maxLag);
        Duration deadline = within(reader, "deadline", reader.duration("deadline", DEFAULT_DEADLINE), DEFAULT_DEADLINE,
                MIN_DEADLINE, MAX_DEADLINE, "MHA waits for a hook as long as it runs, and in under 1 s no failover can finish");
        String secondaryFailure = reader.string("secondary-failure", "abort");
        if (secondaryFailure != null && !secondaryFailure.equals("abort") && !secondaryFailure.equals("proceed")) {
            reader.problem("secondary-failure", "'" + secondaryFailure + "' is not one of abort, proceed");
        }
        // MHA may pick a host the configuration says must never be master (its own candidate_master,
        // no_master settings can differ from ours): say so, or refuse to move clients there.
        String nonCandidate = reader.string("non-candidate-promotion", "warn");
        if (nonCandidate != null && !nonCandidate.equals("warn") && !nonCandidate.equals("refuse")) {
            reader.problem("non-candidate-promotion", "'" + nonCandidate + "' is not one of warn, refuse");
        }
        ConfigReader fence = reader.object("fence");
        Duration drainTimeout = within(fence, "drain-timeout", fence.duration("drain-timeout", DEFAULT_DRAIN_TIMEOUT),
                DEFAULT_DRAIN_TIMEOUT, null, MAX_TIMEOUT, "running writes wait that long with the master fenced");
        if (fence.has("drain-timeout") && drainTimeout.compareTo(deadline) >= 0) {
            // the fence runs within the hook's deadline: a longer wait set on purpose would silently be cut short
            fence.problem("drain-timeout", "must be shorter than deadline (" + show(deadline) + "), within which the fence"
                    + " and the release run; got " + show(drainTimeout));
        }
        fence.rejectUnknownKeys();
        Optional<ReplicationAccount> replication = replication(reader);
        SwitchoverSettings switchover = SwitchoverSettings.read(reader.object("switchover"));
        Optional<ClientEndpoint> clientEndpoint = ClientEndpoint.read(reader);
        Optional<ProbeSettings> probe = ProbeSettings.read(reader);
        // The probe sets a new random password on its account and drops it with --cleanup.
        probe.map(ProbeSettings::user).filter(user -> user.equals(mysql.user())
                        || replication.map(ReplicationAccount::user).filter(user::equals).isPresent())
                .ifPresent(user -> reader.object("probe").problem("user", "'" + user + "' is an account handover already"
                        + " uses (mysql or replication): the probe would reset its password; give it an account of its own"));
        Cluster cluster = new Cluster(name, hosts);

        List<RedirectEntry> redirects = new ArrayList<>();
        for (ConfigReader entry : reader.objectList("redirect")) {
            String backendName = entry.string("backend");
            if (backendName == null) {
                continue;
            }
            Backend backend = backends.apply(backendName);
            if (backend == null) {
                entry.problem("backend", unknownBackend(backendName));
                continue;
            }
            Redirect redirect = backend.bind(new RedirectContext(cluster, entry, new MysqlIdentity(mysql)));
            entry.rejectUnknownKeys();
            claimRedirect(backendName, entry, name, shared);
            if (redirect != null) {
                redirects.add(new RedirectEntry(backendName, redirect, redirects.isEmpty()));
            }
        }
        claimHosts(hostEntries, name, redirects.stream().anyMatch(redirect -> redirect.backendName().equals("consul")), shared);
        reader.rejectUnknownKeys();
        return new ClusterConfig(cluster, mysql, maxLag, redirects, deadline, "proceed".equals(secondaryFailure), drainTimeout,
                replication, switchover, clientEndpoint, probe, "refuse".equals(nonCandidate));
    }

    private MysqlSettings mysql(ConfigReader reader) {
        String user = reader.string("user");
        Optional<Secret> password = password(reader);
        String stall = "a server that does not answer would stall handover that long";
        Duration connectTimeout = within(reader, "connect-timeout", reader.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT),
                DEFAULT_CONNECT_TIMEOUT, null, MAX_TIMEOUT, stall);
        Duration readTimeout = within(reader, "read-timeout", reader.duration("read-timeout", DEFAULT_READ_TIMEOUT),
                DEFAULT_READ_TIMEOUT, null, MAX_TIMEOUT, stall);
        String sslMode = reader.string("ssl-mode", "PREFERRED");
        if (sslMode != null && !SSL_MODES.contains(sslMode)) {
            reader.problem("ssl-mode", "'" + sslMode + "' is not one of " + String.join(", ", SSL_MODES.stream().sorted().toList()));
        }
        reader.rejectUnknownKeys();
        return new MysqlSettings(user, password.orElse(null), connectTimeout, readTimeout, sslMode);
    }

    /** {@code password} or {@code password-file}, exactly one of them. */
    private static Optional<Secret> password(ConfigReader reader) {
        Optional<Secret> password = reader.secret("password");
        Optional<Path> passwordFile = reader.file("password-file");
        if (password.isPresent() && passwordFile.isPresent()) {
            reader.problem("password-file", "set either password or password-file, not both");
        } else if (passwordFile.isPresent()) {
            password = Secrets.readFile(reader, "password-file", passwordFile.get());
        } else if (password.isEmpty()) {
            // on the key, not the block: a missing secret stops only the commands that use it
            reader.problem("password", "missing 'password' or 'password-file'"
                    + " (a password = ${?VARIABLE} whose variable is not set counts as missing)");
        }
        return password;
    }

    /** The optional {@code replication} block: without it, replicas are repointed with the mysql login. */
    private static Optional<ReplicationAccount> replication(ConfigReader cluster) {
        boolean present = cluster.has("replication");
        ConfigReader reader = cluster.object("replication");
        if (!present) {
            return Optional.empty();
        }
        String user = reader.string("user");
        Optional<Secret> password = password(reader);
        reader.rejectUnknownKeys();
        return user == null || password.isEmpty() ? Optional.empty() : Optional.of(new ReplicationAccount(user, password.get()));
    }

    /**
     * What a redirect entry moves, which no other cluster may move too: a Consul service (the name
     * clients resolve) or a VIP. Read from the entry's keys, after the backend has checked them.
     */
    private static void claimRedirect(String backendName, ConfigReader entry, String cluster, SharedResources shared) {
        if (backendName.equals("consul") && entry.has("service")) {
            String service = entry.string("service", null);
            if (service != null) {
                // Consul's DNS answers names without regard to case.
                shared.claim("consul service " + service.toLowerCase(java.util.Locale.ROOT), "consul service '" + service + "'",
                        "the consul service", cluster, entry, "service",
                        "a failover of either cluster would move the other's clients; give each cluster a service of its own");
            }
        }
        if (backendName.equals("vip") && entry.has("address")) {
            String address = entry.string("address", null);
            if (address != null) {
                String ip = address.split("/", 2)[0].strip();
                shared.vip(canonical(ip), cluster, entry, "address");
            }
        }
        if (backendName.equals("aws-route") && entry.has("destination")) {
            String destination = entry.string("destination", null);
            if (destination != null) {
                shared.claim("aws-route destination " + canonical(destination.split("/", 2)[0].strip()),
                        "route destination " + destination, "the route destination", cluster, entry, "destination",
                        "a failover of either cluster would move the other's clients; give each cluster an overlay address of its own");
            }
        }
    }

    /**
     * A server belongs to one cluster: two clusters' hooks would fence, release and promote it
     * independently, each under its own lock. Where both clusters publish through Consul, a host's
     * name is its Consul node, so names must differ too: one cluster's failover would re-register the
     * other's node at its own address.
     */
    private static void claimHosts(Map<Host, ConfigReader> hosts, String cluster, boolean consul, SharedResources shared) {
        hosts.forEach((host, reader) -> {
            String endpoint = host.address().contains(":") ? "[" + host.address() + "]:" + host.port() : host.endpoint();
            shared.claim("endpoint " + canonical(host.address()) + ":" + host.port(), endpoint, "host " + host.name(),
                    cluster, reader, "address", "a server belongs to one cluster, or a failover of either would act on"
                            + " the other's master; remove it from one of them");
            shared.serverAddress(canonical(host.address()), "host " + host.name(), cluster, reader, "address");
            if (consul) {
                shared.claim("consul node " + host.name(), "host name '" + host.name() + "'", "the name of a host",
                        cluster, reader, "name", "both clusters publish through consul, where a host's name is its Consul"
                                + " node: a failover of either would re-register the other's node; give the hosts unique names");
            }
        });
    }

    /** An address in one spelling: IPv6 literals have several ({@code 2001:DB8:0::1}, {@code 2001:db8::1}). */
    private static String canonical(String address) {
        if (address.contains(":") && address.matches("[0-9A-Fa-f:.]+")) {
            try {
                // A literal (validAddress checked its shape): parsed, never looked up.
                return java.net.InetAddress.getByName(address).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return address.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return address.toLowerCase(java.util.Locale.ROOT);
    }

    /** The valid hosts, in file order, each with its entry for later problems. */
    private static Map<Host, ConfigReader> hosts(ConfigReader cluster) {
        Map<Host, ConfigReader> hosts = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (ConfigReader reader : cluster.objectList("hosts")) {
            String name = reader.string("name");
            String address = reader.string("address");
            int port = reader.integer("port", DEFAULT_PORT, 1, 65535);
            boolean candidate = reader.bool("candidate", true);
            reader.rejectUnknownKeys();
            if (name != null && !names.add(name)) {
                reader.problem("name", "duplicate host name '" + name + "'");
            }
            if (address != null && !validAddress(address)) {
                reader.problem("address", addressProblem(address));
                address = null;
            }
            if (address != null && !endpoints.add(canonical(address) + ":" + port)) {
                reader.problem("address", "duplicate address " + address + ":" + port);
            }
            if (name != null && address != null) {
                hosts.put(new Host(name, address, port, candidate), reader);
            }
        }
        // MHA names the masters by address; a name that is another host's address would pick that other host.
        hosts.forEach((host, reader) -> hosts.keySet().stream()
                .filter(other -> other != host && canonical(other.address()).equals(canonical(host.name())))
                .findFirst()
                .ifPresent(other -> reader.problem("name", "host name '" + host.name() + "' is the address of host "
                        + other.name() + ": MHA names hosts by address, so this host and " + other.name()
                        + " could be taken for one another; name it differently")));
        return hosts;
    }

    static boolean validAddress(String address) {
        if (IPV4.matcher(address).matches()) {
            return validIpv4(address);
        }
        if (address.contains(":")) {
            if (!address.matches("[0-9A-Fa-f:.]+") || address.chars().filter(c -> c == ':').count() < 2) {
                return false;
            }
            // an IPv4 tail (::ffff:192.0.2.1) follows the IPv4 rules
            String tail = address.substring(address.lastIndexOf(':') + 1);
            return !tail.contains(".") || IPV4.matcher(tail).matches() && validIpv4(tail);
        }
        // A name made only of digits and dots that is not an IPv4 address is a typo, not a host name.
        return HOSTNAME.matcher(address).matches() && !address.matches("[0-9.]+");
    }

    /**
     * Octets of 0-255 written without leading zeros: {@code 010.000.000.011} is 10.0.0.11 to some
     * tools (Consul) and 8.0.0.9 to others (inet_aton reads octal), so it never means one thing.
     */
    private static boolean validIpv4(String address) {
        for (String octet : address.split("\\.")) {
            if (Integer.parseInt(octet) > 255 || octet.length() > 1 && octet.startsWith("0")) {
                return false;
            }
        }
        return true;
    }

    /** What is wrong with an address that {@link #validAddress} refused. */
    static String addressProblem(String address) {
        if (address.matches(".*(^|[.:])0\\d.*") && address.matches("[0-9A-Fa-f:.]+") && address.contains(".")) {
            return "'" + address + "' has an octet with a leading zero, which some tools read as octal and others as"
                    + " decimal: write it without leading zeros";
        }
        return "'" + address + "' is not an IP address or host name";
    }

    /**
     * {@code value} if it lies in {@code [min, max]} (min may be null), else {@code fallback} after a
     * problem that says why: a duration is refused, never clamped.
     */
    static Duration within(ConfigReader reader, String key, Duration value, Duration fallback, Duration min, Duration max,
            String why) {
        if ((min == null || value.compareTo(min) >= 0) && value.compareTo(max) <= 0) {
            return value;
        }
        String range = min == null ? "at most " + show(max) : "between " + show(min) + " and " + show(max);
        String given = reader.string(key, null);
        reader.problem(key, "must be " + range + ", got '" + (given == null ? show(value) : given) + "': " + why);
        return fallback;
    }

    /** {@code 30s}, {@code 1h}, {@code 1500ms}: the largest unit that shows it exactly. */
    public static String show(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private String unknownBackend(String name) {
        String hint = HoconConfigReader.closest(name, registry.all().keySet())
                .map(known -> " (did you mean '" + known + "'?)").orElse("");
        return "unknown backend '" + name + "'" + hint + "; available: " + registry.available();
    }
}
