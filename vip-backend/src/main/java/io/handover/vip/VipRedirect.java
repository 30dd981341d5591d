package io.handover.vip;

import io.handover.api.BackendException;
import io.handover.api.Cluster;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectState;
import io.handover.api.RedirectState.Observation;
import io.handover.api.Targets;
import io.handover.api.Verification;
import io.handover.toolkit.RetryLoop;
import io.handover.vip.Parallel.Answer;
import io.handover.vip.VipScripts.Holding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one cluster's clients to its master by moving a virtual IP to that host: clients connect
 * to the VIP, and whichever host holds it answers. Moving it is {@code ip addr del} on every other
 * host, duplicate address detection and {@code ip addr add} on the new one, then gratuitous ARP so
 * that clients' ARP caches follow at once (without it they kept the old MAC for 41-51 s:
 * docs/VIP.md). The hosts are the source of truth; nothing is stored elsewhere.
 */
final class VipRedirect implements Redirect {

    private static final Logger log = LoggerFactory.getLogger(VipRedirect.class);
    /** What a release of a host MHA calls dead may add to ssh's ConnectTimeout before it gives up. */
    private static final Duration UNREACHABLE_GRACE = Duration.ofSeconds(2);

    private final VipEntry entry;
    private final Cluster cluster;
    private final VipConfig config;
    private final VipHosts hosts;
    private final VipVerifier verifier;

    VipRedirect(VipEntry entry, Cluster cluster, VipConfig config, VipHosts hosts, VipVerifier verifier) {
        this.entry = entry;
        this.cluster = cluster;
        this.config = config;
        this.hosts = hosts;
        this.verifier = verifier;
    }

    @Override
    public String describe() {
        return entry.describe(cluster);
    }

    @Override
    public java.util.Optional<String> clientAddress() {
        return java.util.Optional.ofNullable(entry.address()).map(VipAddress::ip);
    }

    /** verify and current connect through the VIP with the cluster's login, to learn which server answers. */
    @Override
    public boolean usesMysqlLogin() {
        return true;
    }

    /**
     * The hosts that hold the VIP, asked all at once; two holders are two targets. A host that cannot
     * be asked is an observation with its error (it may hold the VIP), and so is a MySQL connection
     * to the VIP: which server answers there.
     */
    @Override
    public RedirectState current(Deadline deadline) throws BackendException {
        Map<Host, Answer<VipHosts.Inspection>> inspected = hosts.inspectAll(deadline);
        Map<Host, Answer<List<Holding>>> survey = new java.util.LinkedHashMap<>();
        inspected.forEach((host, answer) -> survey.put(host, new Answer<>(answer.answered() ? answer.value().holdings() : null, answer.error())));
        Map<Host, BackendException> unanswered = VipHosts.unanswered(survey);
        if (unanswered.size() == cluster.hosts().size()) {
            // a refused login everywhere will not heal by itself; anything else may
            boolean refused = unanswered.values().stream().allMatch(error -> error.kind() == BackendException.Kind.PERMANENT);
            throw new BackendException(refused ? BackendException.Kind.PERMANENT : BackendException.Kind.RETRYABLE, "no host of cluster "
                    + cluster.name() + " could be asked whether it holds " + entry.address().ip() + ": "
                    + VipHosts.describeUnanswered(survey).orElse(""));
        }
        List<Host> holders = VipHosts.holders(survey);
        List<Observation> observations = new ArrayList<>();
        unanswered.forEach((host, error) -> observations.add(new Observation("host " + host.name(), Targets.NONE, error.getMessage())));
        // what a failover to a host would find only after the old master's VIP is gone
        inspected.forEach((host, answer) -> {
            if (answer.answered() && !answer.value().lacking().isEmpty()) {
                observations.add(new Observation("host " + host.name(), Targets.NONE, host.name() + ": "
                        + String.join("; ", answer.value().lacking()) + " (" + entry.address().ip() + " could not be added there in a failover)"));
            }
        });
        int port = (holders.isEmpty() ? cluster.hosts() : holders).get(0).port();
        observations.add(verifier.observeThroughVip(port, deadline));
        return new RedirectState(new Targets(holders, List.of()), observations);
    }

    /**
     * Removes the VIP from the old master. A host MHA calls dead gets a short try (ssh's
     * ConnectTimeout and 2 s); if it does not answer, the release succeeds with a warning: it cannot
     * answer ARP for the VIP while it is down, and activate's duplicate address detection refuses to
     * add it elsewhere if it does.
     */
    @Override
    public String release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
        java.util.Optional<String> note = releaseNoted(oldMaster, reachability, deadline);
        note.ifPresent(text -> log.warn("{}: release {}: {}", describe(), oldMaster.name(), text));
        return note.orElse("");
    }

    /**
     * {@link #release}, and what its success leaves undone: empty when the VIP is gone from the old
     * master; for a host MHA calls dead that did not answer, that nothing was released. The SPI's
     * release returns it as the step's detail (stdout and the journal) and logs it (WARN: stderr); a
     * release returning a note would put it in the step's detail and the journal as well.
     */
    java.util.Optional<String> releaseNoted(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
        String what = "releasing " + oldMaster + " from " + describe();
        if (reachability == Reachability.REACHABLE) {
            retried(what, deadline, attempt -> released(oldMaster, deadline));
            return java.util.Optional.empty();
        }
        Deadline bounded = deadline.shorter(config.connectTimeout().plus(UNREACHABLE_GRACE));
        try {
            retried(what, bounded, attempt -> released(oldMaster, bounded));
            return java.util.Optional.empty();
        } catch (BackendException e) {
            if (e.kind() == BackendException.Kind.PERMANENT) {
                throw e;
            }
            return java.util.Optional.of(oldMaster.name() + " did not answer, so nothing was released: " + entry.address().ip()
                    + " may remain there until it is fenced or comes back. The failover goes on (a dead master must not block it);"
                    + " activate's duplicate address detection refuses to add it elsewhere while it answers for it, and status will"
                    + " flag it as a second holder (" + e.getMessage() + ")");
        }
    }

    /**
     * Takes the VIP from every other host that answers, then gives it to the new master. Hosts that
     * cannot be asked are logged and left: if one still answers for the VIP, duplicate address
     * detection from the new master hears it and the activation fails, naming it.
     */
    @Override
    public String activate(Host newMaster, Deadline deadline) throws BackendException {
        return retried("activating " + newMaster + " in " + describe(), deadline, attempt -> activateOnce(newMaster, deadline));
    }

    @Override
    public Verification verify(Host newMaster, Deadline deadline) throws BackendException {
        return verifier.verify(newMaster, deadline);
    }

    /**
     * {@link RetryLoop#run}, but once less than a second is left (too little for ssh to connect) the
     * last real failure ends it, rather than a complaint about the time left: "cannot reach db1" is
     * what the operator needs to read.
     */
    private static <T> T retried(String what, Deadline deadline, RetryLoop.Attempt<T> attempt) throws BackendException {
        AtomicReference<BackendException> last = new AtomicReference<>();
        return RetryLoop.run(what, deadline, number -> {
            if (last.get() != null && deadline.remaining().compareTo(RemoteShell.LEAST_TIME) < 0) {
                throw last.get();
            }
            try {
                return attempt.run(number);
            } catch (BackendException e) {
                last.set(e);
                throw e;
            }
        });
    }

    private Void released(Host host, Deadline deadline) throws BackendException {
        List<Holding> removed = hosts.release(host, deadline);
        if (!removed.isEmpty()) {
            log.debug("{}: removed {} from {}", describe(), removed, host);
        }
        return null;
    }

    /**
     * First every host is asked, all at once, and nothing changes unless the new master answers; then
     * every other host that answered releases the VIP, at once (hosts that do not hold it stop any
     * leftover announcer); then the new master claims it.
     *
     * @return the hosts it took the VIP from, {@code replaced db1}, or an empty string
     */
    private String activateOnce(Host newMaster, Deadline deadline) throws BackendException {
        Map<Host, Answer<List<Holding>>> survey = hosts.survey(newMaster, deadline);
        Answer<List<Holding>> own = survey.get(newMaster);
        if (!own.answered()) {
            throw own.error();
        }
        List<Host> unasked = new ArrayList<>();
        List<Host> others = new ArrayList<>();
        survey.forEach((host, answer) -> {
            if (!host.equals(newMaster)) {
                (answer.answered() ? others : unasked).add(host);
            }
        });
        // an unreachable host is not asked twice: each try would cost ssh's ConnectTimeout again
        Map<Host, Answer<List<Holding>>> released = hosts.onEach(others, Effect.WRITE, deadline, host -> hosts.release(host, deadline));
        List<String> replaced = new ArrayList<>();
        released.forEach((host, answer) -> {
            if (answer.answered() && !answer.value().isEmpty()) {
                log.info("{}: removed {} from {}", describe(), answer.value(), host);
                replaced.add(host.name());
            } else if (!answer.answered() && answer.error().kind() != BackendException.Kind.PERMANENT) {
                unasked.add(host);
            }
        });
        for (Answer<List<Holding>> answer : released.values()) {
            if (!answer.answered() && answer.error().kind() == BackendException.Kind.PERMANENT) {
                throw answer.error();
            }
        }
        for (Host host : unasked) {
            BackendException error = survey.get(host).answered() ? released.get(host).error() : survey.get(host).error();
            log.warn("{}: {} could not be asked to release it ({}); duplicate address detection from {} checks that it"
                    + " does not answer for {}", describe(), host, error.getMessage(), newMaster.name(), entry.address().ip());
        }
        // a holder's own DAD does not hear itself, only others (docs/VIP.md): it is skipped only when
        // the new master holds the VIP already and every other host said it does not
        boolean detectDuplicates = own.value().isEmpty() || !unasked.isEmpty();
        Duration needed = Duration.ofSeconds(VipScripts.DAD_SECONDS + 1);
        if (detectDuplicates && deadline.remaining().compareTo(needed) < 0) {
            throw BackendException.retryable("only " + deadline.remaining().toMillis() + " ms left to add " + entry.address().ip()
                    + " on " + newMaster + ", and duplicate address detection alone takes " + VipScripts.DAD_SECONDS + " s", null);
        }
        hosts.claim(newMaster, detectDuplicates, unasked, deadline);
        return replaced.isEmpty() ? "" : "replaced " + String.join(", ", replaced);
    }
}
