package io.handover.vip;

import io.handover.api.BackendException;
import io.handover.api.Cluster;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.vip.Parallel.Answer;
import io.handover.vip.VipScripts.Holding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What can be done to one cluster's hosts about its VIP, over ssh: ask which holds it, take it away,
 * give it to one. Each is one ssh call, idempotent, and ends by the deadline.
 */
final class VipHosts {

    /** iputils' arping -D names what it heard: a holder's "Unicast reply", or a sender's gratuitous "Broadcast request". */
    private static final Pattern DAD_ANSWER = Pattern.compile("(reply|request) from (\\S+) \\[([0-9A-Fa-f:]+)]");

    private final RemoteShell shell;
    private final Parallel parallel;
    private final VipEntry entry;
    private final Cluster cluster;
    private final int garpCount;

    VipHosts(RemoteShell shell, Parallel parallel, VipEntry entry, Cluster cluster, int garpCount) {
        this.shell = shell;
        this.parallel = parallel;
        this.entry = entry;
        this.cluster = cluster;
        this.garpCount = garpCount;
    }

    /** Where {@code host} has the VIP: empty if it does not hold it. */
    List<Holding> holdings(Host host, Deadline deadline) throws BackendException {
        RemoteShell.Result result = shell.run(host, "reading the addresses", VipScripts.addresses(), Effect.READ, deadline);
        if (result.exit() != 0) {
            throw BackendException.permanent("ip -o -4 addr show failed on " + host + ": " + result.complaint());
        }
        return VipScripts.holdings(result.stdout(), entry.address());
    }

    /** Where a host has the VIP, and what it lacks for a claim ({@code no interface eth9}). */
    record Inspection(List<Holding> holdings, List<String> lacking) {}

    /** {@link #holdings}, and whether the host could take the VIP: its interface exists, arping is installed. One call. */
    Inspection inspect(Host host, Deadline deadline) throws BackendException {
        String device = entry.interfaceOf(host);
        RemoteShell.Result result = shell.run(host, "reading the addresses", VipScripts.inspection(device), Effect.READ, deadline);
        if (result.exit() != 0) {
            throw BackendException.permanent("ip -o -4 addr show failed on " + host + ": " + result.complaint());
        }
        return new Inspection(VipScripts.holdings(result.stdout(), entry.address()), VipScripts.lacking(result.stdout(), device));
    }

    /** {@link #inspect} on every host of the cluster at once. */
    Map<Host, Answer<Inspection>> inspectAll(Deadline deadline) throws BackendException {
        return parallel.onEach(cluster.hosts(), Effect.READ, deadline, host -> inspect(host, deadline));
    }

    /**
     * The holdings of every host of the cluster, and of {@code also} if it is none of them, asked at
     * once; a host that could not be asked has its error instead.
     */
    Map<Host, Answer<List<Holding>>> survey(Host also, Deadline deadline) throws BackendException {
        List<Host> all = new ArrayList<>(cluster.hosts());
        if (also != null && !all.contains(also)) {
            // the core only passes hosts of the cluster; whatever host is named still gets the VIP, and is checked
            all.add(also);
        }
        return onEach(all, Effect.READ, deadline, host -> holdings(host, deadline));
    }

    Map<Host, Answer<List<Holding>>> survey(Deadline deadline) throws BackendException {
        return survey(null, deadline);
    }

    /** {@code call} on each of {@code hosts} at once; the answers come in their order. */
    Map<Host, Answer<List<Holding>>> onEach(List<Host> hosts, Effect effect, Deadline deadline, Parallel.Call<List<Holding>> call)
            throws BackendException {
        return parallel.onEach(hosts, effect, deadline, call);
    }

    /**
     * Removes the VIP from {@code host}, and stops the gratuitous ARP sender a claim left there.
     *
     * @return what it held before, now removed
     */
    List<Holding> release(Host host, Deadline deadline) throws BackendException {
        RemoteShell.Result result = shell.run(host, "removing " + entry.address(), VipScripts.release(entry.address(), host),
                Effect.WRITE, deadline);
        if (result.exit() != 0) {
            throw BackendException.permanent("cannot remove " + entry.address().ip() + " from " + host + ": " + result.complaint());
        }
        return result.stdout().lines().filter(line -> line.startsWith("removed "))
                .map(line -> line.substring("removed ".length()).split(" from ", 2))
                .map(parts -> new Holding(parts[1], parts[0])).toList();
    }

    /**
     * Gives the VIP to {@code host}: duplicate address detection if asked for, {@code ip addr add},
     * and gratuitous ARP so that clients' ARP caches move to it at once.
     *
     * @param unasked hosts that could not be asked to release it, named when DAD finds a duplicate
     */
    void claim(Host host, boolean detectDuplicates, List<Host> unasked, Deadline deadline) throws BackendException {
        String device = entry.interfaceOf(host);
        RemoteShell.Result result = shell.run(host, "adding " + entry.address() + " on " + device,
                VipScripts.claim(entry.address(), host, device, detectDuplicates, garpCount), Effect.WRITE, deadline);
        if (result.exit() == VipScripts.DUPLICATE) {
            throw BackendException.permanent(duplicate(host, device, result.stderr(), unasked));
        }
        if (result.exit() != 0) {
            throw BackendException.permanent("cannot add " + entry.address() + " on " + host + " (" + device + "): " + result.complaint());
        }
    }

    String duplicate(Host host, String device, String dadOutput, List<Host> unasked) {
        Matcher heard = DAD_ANSWER.matcher(dadOutput);
        String who = !heard.find() ? "an answer from another machine"
                : heard.group(1).equals("reply") ? "an answer from MAC " + heard.group(3).toLowerCase()
                : "an announcement (gratuitous ARP) from MAC " + heard.group(3).toLowerCase();
        String suspects = unasked.isEmpty() ? "every other host of cluster " + cluster.name() + " said it does not hold it,"
                + " so it is no host of the cluster (or its interface is not the one configured)"
                : "it may be " + unasked.stream().map(Host::name).collect(Collectors.joining(" or ")) + ", which could not be asked,"
                        + " or a machine that is no host of the cluster";
        return entry.address().ip() + " is in use on the network: duplicate address detection from " + host.name() + " (" + device
                + ") got " + who + "; " + suspects + ". Not adding it there, or clients would reach either."
                + " Remove it from that machine, then run this again";
    }

    /** Whom the hosts' holdings name: the holders, in the cluster's order. */
    static List<Host> holders(Map<Host, Answer<List<Holding>>> survey) {
        return survey.entrySet().stream().filter(answer -> answer.getValue().answered() && !answer.getValue().value().isEmpty())
                .map(Map.Entry::getKey).toList();
    }

    /** The hosts that could not be asked, with why. */
    static Map<Host, BackendException> unanswered(Map<Host, Answer<List<Holding>>> survey) {
        return survey.entrySet().stream().filter(answer -> !answer.getValue().answered())
                .collect(Collectors.toMap(Map.Entry::getKey, answer -> answer.getValue().error(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    static Optional<String> describeUnanswered(Map<Host, Answer<List<Holding>>> survey) {
        Map<Host, BackendException> failed = unanswered(survey);
        return failed.isEmpty() ? Optional.empty() : Optional.of(failed.entrySet().stream()
                .map(failure -> failure.getKey().name() + " could not be asked: " + failure.getValue().getMessage())
                .collect(Collectors.joining("; ")));
    }
}
