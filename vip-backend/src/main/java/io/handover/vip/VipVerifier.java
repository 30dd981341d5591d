package io.handover.vip;

import io.handover.api.BackendException;
import io.handover.api.Cluster;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.RedirectState.Observation;
import io.handover.api.ServerIdentity;
import io.handover.api.Targets;
import io.handover.api.Verification;
import io.handover.toolkit.CheckPoller;
import io.handover.toolkit.CheckPoller.Outcome;
import io.handover.toolkit.CheckPoller.Probe;
import io.handover.vip.Parallel.Answer;
import io.handover.vip.VipScripts.Holding;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Checks a move the two ways that matter, until both agree or the deadline passes: the hosts say
 * that the new master alone holds the VIP ({@code holders}), and a MySQL connection to the VIP, made
 * the way a client makes it, reaches the new master's server ({@code mysql via VIP}). A host that
 * cannot be asked does not fail the first check: MHA's dead master must not fail its own failover;
 * if it still answers for the VIP, the second check sees it.
 */
final class VipVerifier {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final VipHosts hosts;
    private final Parallel parallel;
    private final ServerIdentity identity;
    private final VipEntry entry;
    private final Cluster cluster;

    VipVerifier(VipHosts hosts, Parallel parallel, ServerIdentity identity, VipEntry entry, Cluster cluster) {
        this.hosts = hosts;
        this.parallel = parallel;
        this.identity = identity;
        this.entry = entry;
        this.cluster = cluster;
    }

    Verification verify(Host master, Deadline deadline) throws BackendException {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("holders", check -> holders(master, check));
        AtomicReference<String> masterIdentity = new AtomicReference<>();
        probes.put(throughVip(master.port()), check -> reachesMaster(master, masterIdentity, check));
        return CheckPoller.poll("verifying " + master + " in " + entry.describe(cluster), probes, POLL_INTERVAL, deadline);
    }

    /** {@code mysql via VIP 198.51.100.50:3306}. */
    String throughVip(int port) {
        return "mysql via VIP " + entry.address().ip() + ":" + port;
    }

    /** Which of the cluster's servers a client connecting to the VIP reaches, for {@code current()}. */
    Observation observeThroughVip(int port, Deadline deadline) throws BackendException {
        Host vip = new Host("VIP", entry.address().ip(), port, false);
        List<Host> asked = new ArrayList<>(List.of(vip));
        asked.addAll(cluster.hosts());
        Map<Host, Answer<String>> identities = parallel.onEach(asked, Effect.READ, deadline,
                host -> identity.of(host.address(), host.port(), deadline));
        Answer<String> throughVip = identities.remove(vip);
        if (!throughVip.answered()) {
            return new Observation(throughVip(port), Targets.NONE, withHint(throughVip.error()));
        }
        List<Host> same = identities.entrySet().stream()
                .filter(answer -> answer.getValue().answered() && answer.getValue().value().equals(throughVip.value()))
                .map(Map.Entry::getKey).toList();
        return new Observation(throughVip(port), same.isEmpty() ? new Targets(List.of(), List.of(throughVip.value())) : new Targets(same, List.of()), null);
    }

    private Outcome holders(Host master, Deadline deadline) {
        Map<Host, Answer<List<Holding>>> survey;
        try {
            survey = hosts.survey(master, deadline);
        } catch (BackendException e) {
            return Outcome.of(false, e.getMessage());
        }
        List<Host> holders = VipHosts.holders(survey);
        boolean masterAnswered = survey.get(master) != null && survey.get(master).answered();
        String unanswered = VipHosts.describeUnanswered(survey).map(text -> " (" + text + ")").orElse("");
        String detail = (holders.isEmpty() ? "no host holds " + entry.address().ip()
                : holders.stream().map(holder -> holder.name() + " holds " + survey.get(holder).value().stream()
                        .map(Holding::toString).collect(Collectors.joining(", "))).collect(Collectors.joining("; "))) + unanswered;
        return Outcome.of(masterAnswered && holders.equals(List.of(master)), detail);
    }

    private Outcome reachesMaster(Host master, AtomicReference<String> masterIdentity, Deadline deadline) {
        try {
            if (masterIdentity.get() == null) {
                masterIdentity.set(identity.of(master.address(), master.port(), deadline));
            }
        } catch (BackendException e) {
            return Outcome.of(false, e.getMessage());
        }
        try {
            String answer = identity.of(entry.address().ip(), master.port(), deadline);
            return Outcome.of(answer.equals(masterIdentity.get()), entry.address().ip() + " answers as " + answer + ", "
                    + master.name() + " as " + masterIdentity.get());
        } catch (BackendException e) {
            return Outcome.of(false, withHint(e));
        }
    }

    /**
     * A failed connection through the VIP, with a hint unless a server answered (refused the login,
     * say): the hosts may all agree that the new master holds the VIP while this machine has no
     * route to it, and verify then fails after the whole deadline.
     */
    private String withHint(BackendException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().startsWith("08")) {
                return failure.getMessage(); // not a connection failure (SQLSTATE class 08): a server answered
            }
        }
        String vip = entry.address().ip();
        return failure.getMessage() + " (is " + vip + " reachable from this machine? handover verifies by connecting through it)";
    }
}
