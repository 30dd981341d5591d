package io.handover.migrate;

import io.handover.api.Backend;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.HostShell;
import io.handover.config.ClusterConfig;
import io.handover.config.RedirectEntry;
import io.handover.flow.NotConfiguredException;
import io.handover.flow.RefusedException;
import io.handover.mysql.HostStatus;
import io.handover.mysql.TopologyInspector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The safety checks of retiring one redirect of a cluster (stage 5), and the configuration edit that
 * follows. Each refusal is a {@link RefusedException}: nothing was changed.
 */
public final class Retirement {

    private Retirement() {}

    /**
     * The index of {@code backend}'s entry in the redirect list; empty when the cluster has none.
     *
     * @throws RefusedException for the primary or the only redirect, or a backend with several entries
     */
    public static Optional<Integer> entryOf(ClusterConfig cluster, String backend) {
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < cluster.redirects().size(); i++) {
            if (cluster.redirects().get(i).backendName().equals(backend)) {
                matches.add(i);
            }
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        if (cluster.redirects().size() == 1) {
            throw new RefusedException("refused: " + cluster.redirects().get(0).describe() + " is the only redirect of cluster "
                    + cluster.name() + ": retiring it would leave clients with no way to the master");
        }
        if (matches.size() > 1) {
            throw new RefusedException("refused: cluster " + cluster.name() + " has " + matches.size() + " " + backend
                    + " redirects; retire needs one (remove the other by editing the configuration)");
        }
        RedirectEntry entry = cluster.redirects().get(matches.get(0));
        if (entry.primary()) {
            throw new RefusedException("refused: " + entry.describe() + " is the primary redirect of cluster " + cluster.name()
                    + " (first in its list): cut over first, putting the new redirect first (docs/MIGRATION.md, stage 3)");
        }
        return Optional.of(matches.get(0));
    }

    /** The one writable host of the cluster, which the redirect is released from. */
    public static Host writableMaster(ClusterConfig cluster, Deadline deadline) {
        return writableMaster(cluster, "retire releases the redirect from the master", deadline);
    }

    /** The one writable host of the cluster; {@code purpose} says in the refusal what needs it. */
    public static Host writableMaster(ClusterConfig cluster, String purpose, Deadline deadline) {
        List<HostStatus> writable = TopologyInspector.inspect(cluster, deadline).hosts().stream().filter(HostStatus::writable).toList();
        if (writable.size() != 1) {
            throw new RefusedException("refused: cluster " + cluster.name() + " has " + writable.size()
                    + " writable hosts; " + purpose + " and needs exactly one");
        }
        return writable.get(0).host();
    }

    /** Refuses while the report counts application sessions on {@code entry}'s path. */
    public static void refuseWhileUsed(ClientSessions.Report report, RedirectEntry entry) {
        List<ClientSessions.PathSessions> used = report.paths().stream()
                .filter(path -> entry.backendName().equals(path.backend()) && path.applications().sessions() > 0).toList();
        if (!used.isEmpty()) {
            ClientSessions.PathSessions path = used.get(0);
            throw new RefusedException("refused: " + path.applications().sessions() + " application session(s) still come in on "
                    + entry.describe() + " (" + path.localAddress() + " on " + report.master() + ") from "
                    + path.applications().clients().entrySet().stream().map(client -> client.getKey() + " (" + client.getValue() + ")")
                            .collect(Collectors.joining(", "))
                    + "; move those clients first (handover migrate clients --cluster " + report.cluster() + "), or retire with --force");
        }
    }

    /** The first configured backend that can run commands on hosts (the vip backend's ssh). */
    public static HostShell shell(Map<String, Backend> backends) {
        return backends.values().stream().map(Backend::hostShell).flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new NotConfiguredException("migrate clients reads the master's socket table over ssh, with the"
                        + " settings of handover.backends.vip.ssh: configure that block (the vip backend need not be a redirect)"));
    }

    /** The edit to make: the redirect list without the retired entry. */
    public static String configEdit(String cluster, RedirectList redirects, int index) {
        List<String> left = new ArrayList<>(redirects.entries());
        String retired = left.remove(index);
        return "in handover.clusters." + cluster + " remove " + retired + ":\n" + RedirectList.render(left);
    }
}
