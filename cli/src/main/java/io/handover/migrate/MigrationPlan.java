package io.handover.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a cluster stands on the way from its old redirect (a VIP, a route table) to Consul, and what
 * comes next: derived from the order of its redirect list and from whether every path agrees with
 * the writable master ({@link PathCheck}). Pure: the command gathers both and prints the plan.
 */
public final class MigrationPlan {

    /** The stages of docs/MIGRATION.md, in order. */
    public static final List<String> STAGES = List.of(
            "today: the old redirect alone",
            "dual run: the old redirect first, the new one second, secondary-failure = \"proceed\"",
            "agree: migrate check proves both send clients to the writable master",
            "cut over: the new redirect first, so it decides whether a failover may proceed",
            "drain: applications move to the new name; migrate clients shows who still uses the old path",
            "retire: migrate retire takes the old redirect off the master; its entry leaves the config");

    /**
     * @param stage the last stage reached (0-5)
     * @param next what to do for the next stage, for a human
     * @param config the redirect list (and settings) of the next stage, or null when no edit is needed
     * @param check the command that proves the next stage is reached, or null when done
     * @param rollback how to step back from the current stage
     */
    public record Plan(String cluster, String target, int stage, List<String> warnings, String next, String config, String check,
            String rollback) {}

    private MigrationPlan() {}

    /** Whether {@code target} is the cluster's only redirect: it never had another, or its migration ended (stage 5). */
    public static boolean nothingToMigrate(RedirectList redirects, String target) {
        return redirects.backends().equals(List.of(target));
    }

    /**
     * @param redirects the cluster's redirect list as configured
     * @param agrees whether {@code migrate check} passes now
     * @param target the backend to move to ({@code consul})
     */
    public static Plan of(String cluster, RedirectList redirects, boolean agrees, String target) {
        List<String> backends = redirects.backends();
        int at = backends.indexOf(target);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            if (i != at) {
                others.add(redirects.entries().get(i));
            }
        }
        String check = "handover migrate check --cluster " + cluster;
        String old = String.join(", ", backends.stream().filter(backend -> !backend.equals(target)).toList());
        List<String> warnings = new ArrayList<>();
        if (at < 0) {
            List<String> dual = new ArrayList<>(redirects.entries());
            dual.add(RedirectList.entry(target, "service", cluster + "-master"));
            return new Plan(cluster, target, 0, warnings, "stage 1 (dual run): add " + target + " after " + old
                    + " (the service name is yours to choose), set lock.backend (two backends need it chosen) and give"
                    + " handover.backends." + target + " your servers' addresses and dns (without it handover asks an agent on"
                    + " 127.0.0.1), then publish the master in both with handover register --cluster " + cluster,
                    RedirectList.render(dual) + "\nsecondary-failure = \"proceed\"",
                    "handover register --cluster " + cluster + " && " + check,
                    "nothing to roll back: the configuration is as it was");
        }
        String ownEntry = redirects.entries().get(at);
        String withoutTarget = RedirectList.render(others);
        if (!agrees) {
            warnings.add("migrate check fails now: the paths do not all send clients to the writable master;"
                    + " handover register --cluster " + cluster + " repairs that");
        }
        if (at > 0) {
            if (!agrees) {
                return new Plan(cluster, target, 1, warnings, "stage 2 (agree): run handover register --cluster " + cluster
                        + ", then migrate check until it exits 0", null, "handover register --cluster " + cluster + " && " + check,
                        "remove the " + target + " entry: " + withoutTarget);
            }
            List<String> cutOver = new ArrayList<>();
            cutOver.add(ownEntry);
            cutOver.addAll(others);
            return new Plan(cluster, target, 2, warnings, "stage 3 (cut over): put " + target + " first, so it decides whether a"
                    + " failover may proceed; the " + old + " entry stays and keeps moving with every change",
                    RedirectList.render(cutOver) + "\nsecondary-failure = \"proceed\"", check,
                    "stage 2 changed no configuration; to leave the dual run remove the " + target + " entry: " + withoutTarget);
        }
        if (backends.size() > 1) {
            List<String> back = new ArrayList<>(others);
            back.add(ownEntry);
            String firstOld = backends.stream().filter(backend -> !backend.equals(target)).findFirst().orElseThrow();
            return new Plan(cluster, target, 3, warnings, "stage 4 (drain) then 5 (retire): move applications to the " + target
                    + " name; when handover migrate clients --cluster " + cluster + " shows no application session on " + old
                    + ", run handover migrate retire --cluster " + cluster + " --backend " + firstOld + " and remove its entry",
                    RedirectList.render(List.of(ownEntry)), "handover migrate clients --cluster " + cluster,
                    "put " + old + " first again: " + RedirectList.render(back));
        }
        return new Plan(cluster, target, 5, warnings, "none: " + target + " is the only redirect", null, agrees ? null : check,
                "add the old entry back second, run handover register --cluster " + cluster + " (the old path is published again),"
                        + " and follow docs/MIGRATION.md backwards");
    }
}
