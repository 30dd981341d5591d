package io.handover.migrate;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.HostShell;
import io.handover.config.ClusterConfig;
import io.handover.config.RedirectEntry;
import io.handover.mysql.MysqlConnections;
import io.handover.config.MysqlSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who is connected to the master, by the local address each session came in on: the VIP, a routed
 * overlay address, or the master's own address (where a DNS name such as Consul's sends clients).
 * The master's own socket table ({@code ss}, over the backend's ssh: no agent) gives the local
 * address of every connection; MySQL's process list tells application sessions from replication
 * and from handover's own account. Reads only.
 */
public final class ClientSessions {

    /** Established connections to the MySQL port, without a header: Recv-Q, Send-Q, local, peer. */
    static final String SOCKETS = "ss -Htn state established '( sport = :%d )'";

    /** One TCP connection to the master's MySQL port, as {@code ss} shows it. */
    record Socket(String localAddress, String peerAddress, int peerPort) {}

    /** One row of the process list: who is logged in from {@code host:port}, doing what. */
    record Session(String user, String command) {}

    /**
     * Sessions of one kind.
     *
     * @param clients client hosts and their number of sessions (a host of the cluster by its name)
     */
    public record Group(int sessions, Map<String, Integer> clients) {}

    /**
     * Application sessions that came in on one path.
     *
     * @param backend the redirect's backend, or null for an address no redirect sends clients to
     * @param target what it moves ({@code vip 198.51.100.50}), or the address
     * @param localAddress the master's address sessions on this path arrive at
     */
    public record PathSessions(String backend, String target, String localAddress, Group applications) {}

    /**
     * @param master the master asked
     * @param paths application sessions by redirect, in the redirect list's order, then other addresses
     * @param handover sessions of handover's own MySQL account
     * @param replication replicas reading the binary log
     */
    public record Report(String cluster, String master, List<PathSessions> paths, Group handover, Group replication) {

        /** Application sessions on {@code backend}'s path. */
        public int applicationSessions(String backend) {
            return paths.stream().filter(path -> backend.equals(path.backend())).mapToInt(path -> path.applications().sessions()).sum();
        }
    }

    private ClientSessions() {}

    /** Reads the master's socket table through {@code shell} and its process list over MySQL. */
    public static Report read(ClusterConfig cluster, Host master, HostShell shell, Deadline deadline) throws BackendException {
        List<Socket> sockets = parseSockets(shell.read(master, SOCKETS.formatted(master.port()), deadline));
        return classify(cluster, master, sockets, processList(master, cluster.mysql(), deadline));
    }

    /** {@code ss} lines; IPv4-mapped IPv6 addresses ({@code [::ffff:10.0.0.1]:3306}) become IPv4. */
    static List<Socket> parseSockets(String output) {
        List<Socket> sockets = new ArrayList<>();
        for (String line : output.strip().split("\\R")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 4) {
                continue;
            }
            String[] local = endpoint(fields[2]);
            String[] peer = endpoint(fields[3]);
            sockets.add(new Socket(local[0], peer[0], Integer.parseInt(peer[1])));
        }
        return sockets;
    }

    private static String[] endpoint(String text) {
        int colon = text.lastIndexOf(':');
        String address = text.substring(0, colon).replace("[", "").replace("]", "");
        if (address.startsWith("::ffff:")) {
            address = address.substring("::ffff:".length());
        }
        int percent = address.indexOf('%');
        return new String[] {percent < 0 ? address : address.substring(0, percent), text.substring(colon + 1)};
    }

    /** Sessions by {@code host:port}; the account needs PROCESS to see everyone's. */
    static Map<String, Session> processList(Host master, MysqlSettings settings, Deadline deadline) throws BackendException {
        Map<String, Session> sessions = new HashMap<>();
        try (Connection connection = MysqlConnections.open(master, settings, deadline);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT USER, HOST, COMMAND FROM information_schema.PROCESSLIST")) {
            while (rows.next()) {
                sessions.put(rows.getString(2), new Session(rows.getString(1), rows.getString(3)));
            }
        } catch (SQLException e) {
            throw BackendException.retryable("cannot read the process list of " + master + ": " + MysqlConnections.reason(e), e);
        }
        return sessions;
    }

    /**
     * Sorts every socket into replication, handover's account or the path of its local address. A
     * socket the process list does not show (a login under way) counts as an application session:
     * retire must not take a path away from a client that is just arriving.
     */
    static Report classify(ClusterConfig cluster, Host master, List<Socket> sockets, Map<String, Session> processList) {
        Map<String, List<RedirectEntry>> byAddress = new java.util.LinkedHashMap<>();
        for (RedirectEntry entry : cluster.redirects()) {
            byAddress.computeIfAbsent(entry.redirect().clientAddress().orElse(master.address()), address -> new ArrayList<>()).add(entry);
        }
        Map<String, Map<String, Integer>> applications = new java.util.LinkedHashMap<>();
        Map<String, Integer> handover = new TreeMap<>();
        Map<String, Integer> replication = new TreeMap<>();
        for (Socket socket : sockets) {
            Session session = processList.get(socket.peerAddress() + ":" + socket.peerPort());
            String client = clientName(cluster, socket.peerAddress());
            if (session != null && session.command() != null && session.command().startsWith("Binlog Dump")) {
                replication.merge(client, 1, Integer::sum);
            } else if (session != null && cluster.mysql().user().equals(session.user())) {
                handover.merge(client, 1, Integer::sum);
            } else {
                applications.computeIfAbsent(socket.localAddress(), address -> new TreeMap<>()).merge(client, 1, Integer::sum);
            }
        }
        List<PathSessions> paths = new ArrayList<>();
        byAddress.forEach((address, entries) -> {
            Group group = group(applications.getOrDefault(address, Map.of()));
            for (RedirectEntry entry : entries) {
                paths.add(new PathSessions(entry.backendName(), entry.describe(), address, group));
            }
        });
        applications.forEach((address, clients) -> {
            if (!byAddress.containsKey(address)) {
                paths.add(new PathSessions(null, "address " + address + " (no redirect sends clients there)", address, group(clients)));
            }
        });
        return new Report(cluster.name(), master.toString(), paths, group(handover), group(replication));
    }

    private static Group group(Map<String, Integer> clients) {
        return new Group(clients.values().stream().mapToInt(Integer::intValue).sum(), new TreeMap<>(clients));
    }

    private static String clientName(ClusterConfig cluster, String address) {
        Optional<Host> host = cluster.cluster().hosts().stream().filter(candidate -> candidate.address().equals(address)).findFirst();
        return host.map(Host::name).orElse(address);
    }
}
