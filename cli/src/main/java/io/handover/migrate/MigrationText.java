package io.handover.migrate;

import java.util.Map;
import java.util.stream.Collectors;

/** What the migrate commands print for humans; {@code --json} prints the same records with Jackson. */
public final class MigrationText {

    private MigrationText() {}

    public static String check(PathCheck.Result result) {
        StringBuilder text = new StringBuilder("cluster " + result.cluster() + ": ");
        if (result.problem() != null) {
            return text.append(result.problem()).append('\n').toString();
        }
        text.append("writable master ").append(result.master()).append('\n');
        for (PathCheck.PathResult path : result.paths()) {
            text.append("  ").append(path.target()).append(" (").append(path.backend()).append(path.primary() ? ", primary" : "")
                    .append("): ").append(path.agrees() ? "agrees" : "DISAGREES").append('\n');
            for (PathCheck.Vantage vantage : path.vantages()) {
                text.append("    ").append(vantage.agrees() ? "ok   " : "WRONG").append(' ').append(vantage.source()).append(": ")
                        .append(vantage.answer()).append('\n');
            }
            if (path.note() != null) {
                text.append("    note: ").append(path.note()).append('\n');
            }
        }
        text.append(result.agrees() ? "every redirect sends clients to the writable master " + result.master() + "\n" : "");
        return text.toString();
    }

    /** The one line that says which backends disagree and what they answered. */
    public static String checkVerdict(PathCheck.Result result) {
        if (result.problem() != null) {
            return "migrate check failed: " + result.problem();
        }
        return "migrate check failed for cluster " + result.cluster() + ": " + result.disagreeing().stream()
                .map(path -> path.backend() + " (" + path.target() + ") " + path.problem()).collect(Collectors.joining("; "))
                + "; to send clients to the writable master run: handover register --cluster " + result.cluster();
    }

    public static String clients(ClientSessions.Report report) {
        StringBuilder text = new StringBuilder("cluster " + report.cluster() + ": sessions on the master " + report.master() + "\n");
        String format = "  %-42s %-16s %-12s %s%n";
        text.append(String.format(format, "PATH", "LOCAL ADDRESS", "APP SESSIONS", "CLIENT HOSTS"));
        for (ClientSessions.PathSessions path : report.paths()) {
            text.append(String.format(format, path.backend() == null ? path.target() : path.target() + " (" + path.backend() + ")",
                    path.localAddress(), path.applications().sessions(), clients(path.applications().clients())));
        }
        text.append("  handover's account: ").append(report.handover().sessions()).append(" session(s)")
                .append(report.handover().sessions() == 0 ? "" : " from " + clients(report.handover().clients())).append('\n');
        text.append("  replication: ").append(report.replication().sessions()).append(" session(s)")
                .append(report.replication().sessions() == 0 ? "" : " from " + clients(report.replication().clients())).append('\n');
        return text.toString();
    }

    private static String clients(Map<String, Integer> clients) {
        return clients.isEmpty() ? "-" : clients.entrySet().stream().map(client -> client.getKey() + " (" + client.getValue() + ")")
                .collect(Collectors.joining(", "));
    }

    public static String nothingToMigrate(String cluster, String target) {
        return "cluster " + cluster + ": nothing to migrate, " + target + " is already its only redirect\n";
    }

    public static String plan(MigrationPlan.Plan plan) {
        StringBuilder text = new StringBuilder("cluster " + plan.cluster() + ": migration to " + plan.target() + "\n");
        for (int stage = 0; stage < MigrationPlan.STAGES.size(); stage++) {
            String mark = stage < plan.stage() ? "done" : stage == plan.stage() ? "HERE" : "    ";
            text.append("  [").append(mark).append("] ").append(stage).append(' ').append(MigrationPlan.STAGES.get(stage)).append('\n');
        }
        plan.warnings().forEach(warning -> text.append("warning: ").append(warning).append('\n'));
        text.append("next: ").append(plan.next()).append('\n');
        if (plan.config() != null) {
            text.append("config of the next stage (handover.clusters.").append(plan.cluster()).append("):\n")
                    .append(plan.config().indent(2));
        }
        if (plan.check() != null) {
            text.append("then check: ").append(plan.check()).append('\n');
        }
        text.append("roll back: ").append(plan.rollback()).append('\n');
        return text.toString();
    }
}
