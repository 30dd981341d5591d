package io.handover.switchover;

import io.handover.config.RedirectEntry;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import io.handover.mysql.Dialect;
import io.handover.mysql.Flavor;
import io.handover.mysql.HostStatus;
import io.handover.mysql.MySqlDialect;
import io.handover.mysql.Sql;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Prints a plan the way an operator reviews it: each check, then each step with its statements. */
public final class PlanPrinter {

    private PlanPrinter() {}

    public static void print(ClusterConfig cluster, Plan plan, PrintWriter out) {
        out.println(title(plan));
        out.println("checks:");
        plan.checks().forEach(check -> out.println(check.line()));
        if (!plan.refused()) {
            out.println("steps:");
            List<String> steps = steps(cluster, plan);
            for (int i = 0; i < steps.size(); i++) {
                out.println("  " + (i + 1) + ". " + steps.get(i));
            }
            out.println("if steps 1-3 fail: " + plan.master().host().name() + " takes writes again (clients stay sent to it"
                    + " until step 4); after step 3 nothing is rolled back");
        }
        out.flush();
    }

    static List<String> steps(ClusterConfig cluster, Plan plan) {
        Host old = plan.master().host();
        Host candidate = plan.candidate().host();
        Dialect oldDialect = Dialect.of(plan.master().version());
        Dialect newDialect = Dialect.of(plan.candidate().version());
        String backends = cluster.redirects().stream().map(RedirectEntry::describe).collect(Collectors.joining(", "));
        List<String> steps = new ArrayList<>();
        steps.add("fence " + old.name() + ": "
                + (oldDialect.flavor() == Flavor.MYSQL
                        ? MySqlDialect.fence().stream().map(Sql::display).collect(Collectors.joining(", "))
                        : "SET GLOBAL read_only = ON")
                + ", wait up to " + cluster.fenceDrainTimeout().toMillis() + " ms for running transactions, kill client sessions,"
                + " read its GTID position");
        steps.add("catch-up " + candidate.name() + ": " + newDialect.waitForGtids("<that position>", 1).display()
                + " until it returns 0, at most " + cluster.switchover().catchUpTimeout().toMillis() + " ms; then check that "
                + old.name() + "'s position has not moved");
        List<Sql> promote = new ArrayList<>(newDialect.detach());
        promote.addAll(newDialect.writable());
        steps.add("promote " + candidate.name() + ": " + statements(promote));
        steps.add("send clients to " + candidate.name() + " (and nowhere else) in " + backends + ", and verify");
        List<String> repointed = new ArrayList<>();
        for (HostStatus replica : plan.replicas()) {
            steps.add(repoint(cluster, replica, candidate, false));
            repointed.add(replica.host().name());
        }
        steps.add(repoint(cluster, plan.master(), candidate, true));
        repointed.add(old.name());
        steps.add("wait until " + String.join(", ", repointed) + " replicate from " + candidate.name());
        return steps;
    }

    private static String repoint(ClusterConfig cluster, HostStatus host, Host newMaster, boolean wasMaster) {
        return "repoint " + host.host().name() + ": "
                + statements(Dialect.of(host.version()).replicateFrom(newMaster, cluster.replicationAccount(), wasMaster));
    }

    private static String statements(List<Sql> statements) {
        return statements.stream().map(Sql::display).collect(Collectors.joining("; "));
    }

    /**
     * {@code switchover of cluster main: db1 -> db2}; without a master or a candidate, why not: an
     * unknown target would read as a plan.
     */
    static String title(Plan plan) {
        String title = "switchover of cluster " + plan.cluster() + ": ";
        if (plan.master() == null) {
            return title + "refused, no master to switch from: " + failed(plan, "master");
        }
        String master = plan.master().host().name();
        if (plan.candidate() == null) {
            return title + "refused, " + master + " stays the master: " + failed(plan, "candidate");
        }
        return title + master + " -> " + plan.candidate().host().name();
    }

    private static String failed(Plan plan, String subject) {
        return plan.checks().stream().filter(check -> !check.passed() && check.subject().equals(subject)).map(Check::detail)
                .collect(Collectors.joining("; "));
    }
}
