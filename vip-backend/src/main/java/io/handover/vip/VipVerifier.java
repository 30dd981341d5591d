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
    /**
     * The last identity each host gave ({@code server_id 2}): a host that cannot be asked in time is
     * still known by it, rather than its server being called "no host of the cluster".
     */
    private final Map<Host, String> identities = new java.util.concurrent.ConcurrentHashMap<>();

    VipVerifier(VipHosts hosts, Parallel parallel, ServerIdentity identity, VipEntry entry, Cluster cluster) {
        this.hosts = hosts;
        this.parallel = parallel;
        this.identity = identity;
        this.entry = entry;
        this.cluster = cluster;
    }

    Verification verify(Host master, Deadline deadline) throws BackendException {
        Map<String, Probe> probes = new LinkedHashMap<>();
        Map<Host, List<Holding>> lastHoldings = new LinkedHashMap<>();
        probes.put("holders", check -> holders(master, lastHoldings, check));
        AtomicReference<String> masterIdentity = new AtomicReference<>();
        AtomicReference<String> lastAnswer = new AtomicReference<>();
        probes.put(throughVip(master.port()), check -> reachesMaster(master, masterIdentity, lastAnswer, check));
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
        identities.forEach((host, answer) -> {
            if (answer.answered()) {
                this.identities.put(host, answer.value());
            }
        });
        // a host that could not be asked now is known by the identity it gave before, if any
        List<Host> same = cluster.hosts().stream().filter(host -> throughVip.value().equals(identities.get(host).answered()
                ? identities.get(host).value() : this.identities.get(host))).toList();
        if (!same.isEmpty()) {
            return new Observation(throughVip(port), new Targets(same, List.of()), null);
        }
        List<Host> unknown = cluster.hosts().stream().filter(host -> !identities.get(host).answered() && !this.identities.containsKey(host)).toList();
        if (!unknown.isEmpty()) {
            // not "no host of the cluster": a host that was not asked may be the one
            return new Observation(throughVip(port), Targets.NONE, entry.address().ip() + ":" + port + " answers as " + throughVip.value()
                    + ", but which host that is is unknown: " + unknown.stream().map(host -> host.name() + " was not asked in time ("
                    + identities.get(host).error().getMessage() + ")").collect(Collectors.joining("; ")));
        }
        return new Observation(throughVip(port), new Targets(List.of(), List.of(throughVip.value())), null);
    }

    /**
     * A host that could not be asked because the time ran out (less than ssh's least time left after
     * the survey) is not reported as holding nothing: its last real answer stands, marked as such.
     */
    private Outcome holders(Host master, Map<Host, List<Holding>> lastHoldings, Deadline deadline) {
        Map<Host, Answer<List<Holding>>> survey;
        try {
            survey = hosts.survey(master, deadline);
        } catch (BackendException e) {
            return Outcome.of(false, e.getMessage());
        }
        boolean outOfTime = deadline.remaining().compareTo(RemoteShell.LEAST_TIME) < 0;
        Map<Host, Answer<List<Holding>>> known = new LinkedHashMap<>();
        List<String> notInTime = new ArrayList<>();
        survey.forEach((host, answer) -> {
            if (answer.answered()) {
                lastHoldings.put(host, answer.value());
                known.put(host, answer);
            } else if (outOfTime) {
                notInTime.add(host.name() + (lastHoldings.containsKey(host) ? " not asked again in time (its last answer is shown)"
                        : " not asked in time"));
                if (lastHoldings.containsKey(host)) {
                    known.put(host, new Answer<>(lastHoldings.get(host), null));
                }
            } else {
                known.put(host, answer);
            }
        });
        List<Host> holders = VipHosts.holders(known);
        boolean masterAnswered = survey.get(master) != null && survey.get(master).answered();
        List<String> notes = new ArrayList<>();
        VipHosts.describeUnanswered(known).ifPresent(notes::add);
        notes.addAll(notInTime);
        String unanswered = notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
        String detail = (holders.isEmpty() ? (known.isEmpty() ? "no host answered" : "no host holds " + entry.address().ip())
                : holders.stream().map(holder -> holder.name() + " holds " + known.get(holder).value().stream()
                        .map(Holding::toString).collect(Collectors.joining(", "))).collect(Collectors.joining("; "))) + unanswered;
        return Outcome.of(masterAnswered && holders.equals(List.of(master)), detail);
    }

    /** When the time ran out before an answer, the last real answer stands, marked as such. */
    private Outcome reachesMaster(Host master, AtomicReference<String> masterIdentity, AtomicReference<String> lastAnswer, Deadline deadline) {
        try {
            if (masterIdentity.get() == null) {
                masterIdentity.set(identity.of(master.address(), master.port(), deadline));
                identities.put(master, masterIdentity.get());
            }
        } catch (BackendException e) {
            return notInTime(deadline, lastAnswer, master.name() + " could not be asked which MySQL server it is: " + e.getMessage());
        }
        try {
            String answer = identity.of(entry.address().ip(), master.port(), deadline);
            String detail = entry.address().ip() + " answers as " + answer + ", " + master.name() + " as " + masterIdentity.get();
            lastAnswer.set(detail);
            return Outcome.of(answer.equals(masterIdentity.get()), detail);
        } catch (BackendException e) {
            return notInTime(deadline, lastAnswer, withHint(e));
        }
    }

    private static Outcome notInTime(Deadline deadline, AtomicReference<String> lastAnswer, String failure) {
        if (deadline.expired() || deadline.remaining().compareTo(Duration.ofMillis(100)) < 0) {
            // the time ran out during this try: what was seen last stands (a real failure as it was)
            return Outcome.of(false, lastAnswer.get() == null ? "not asked in time: " + failure
                    : lastAnswer.get().contains(" answers as ") ? lastAnswer.get() + " (not asked again in time)" : lastAnswer.get());
        }
        lastAnswer.set(failure);
        return Outcome.of(false, failure);
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
