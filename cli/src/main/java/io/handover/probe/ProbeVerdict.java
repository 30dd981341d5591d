package io.handover.probe;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the probe proves at the end: every acknowledged write is on the final master, and no
 * write was taken by a host while it was fenced.
 *
 * @param finalMaster the one writable host at the end, or null (then nothing could be checked)
 * @param problem why the final state could not be checked, or null
 * @param acknowledged how many writes were acknowledged
 * @param lost acknowledged writes (their seq) missing on the final master
 * @param ambiguous writes that failed after being sent
 * @param ambiguousLanded how many of those are on the final master nonetheless
 * @param fences the fences the journal recorded during the probe
 * @param writesWhileFenced acknowledged writes a host took while fenced, one line each
 */
public record ProbeVerdict(String finalMaster, String problem, int acknowledged, List<Long> lost, int ambiguous,
        int ambiguousLanded, List<FenceWindow> fences, List<String> writesWhileFenced) {

    public boolean passed() {
        return problem == null && lost.isEmpty() && writesWhileFenced.isEmpty();
    }

    /**
     * @param rowsOnFinalMaster the run's rows as the final master has them (seq -> server id)
     */
    public static ProbeVerdict judge(String finalMaster, Map<Long, Long> rowsOnFinalMaster, ProbeLedger ledger,
            List<FenceWindow> fences) {
        List<ProbeLedger.Attempt> acknowledged = ledger.acknowledged();
        List<Long> lost = acknowledged.stream().map(ProbeLedger.Attempt::seq).filter(seq -> !rowsOnFinalMaster.containsKey(seq)).toList();
        List<ProbeLedger.Attempt> ambiguous = ledger.ambiguous();
        int landed = (int) ambiguous.stream().filter(attempt -> rowsOnFinalMaster.containsKey(attempt.seq())).count();
        List<String> whileFenced = new ArrayList<>();
        for (ProbeLedger.Attempt attempt : acknowledged) {
            for (FenceWindow fence : fences) {
                if (fence.host().equals(attempt.server()) && fence.contains(attempt.sentAt())) {
                    whileFenced.add("write " + attempt.seq() + " sent at " + Probe.time(attempt.sentAt()) + " was taken by "
                            + fence.host() + ", fenced at " + Probe.time(fence.from()));
                }
            }
        }
        return new ProbeVerdict(finalMaster, null, acknowledged.size(), lost, ambiguous.size(), landed, fences, whileFenced);
    }

    public static ProbeVerdict uncheckable(String problem, ProbeLedger ledger, List<FenceWindow> fences) {
        return new ProbeVerdict(null, problem, ledger.acknowledged().size(), List.of(), ledger.ambiguous().size(), 0, fences, List.of());
    }

    public void print(PrintWriter out) {
        if (problem != null) {
            out.println("  final state: cannot check: " + problem);
        } else {
            out.println("  final master: " + finalMaster + "; acknowledged writes on it: " + (acknowledged - lost.size())
                    + " of " + acknowledged + (lost.isEmpty() ? " (none lost)" : "; LOST: " + abbreviate(lost)));
            out.println("  writes that failed after being sent: " + ambiguous + ", of which " + ambiguousLanded
                    + " were applied all the same");
        }
        if (fences.isEmpty()) {
            out.println("  writes on a fenced master: no fence in the journal during the probe");
        } else {
            out.println("  fences: " + fences.stream().map(fence -> fence.host() + " at " + Probe.time(fence.from())
                    + " (" + fence.command() + ")").collect(Collectors.joining(", ")));
            out.println("  writes on a fenced master: " + (writesWhileFenced.isEmpty() ? "none" : writesWhileFenced.size()));
            writesWhileFenced.stream().limit(10).forEach(line -> out.println("    " + line));
        }
        out.println("  result: " + (passed() ? "OK" : "FAILED"));
        out.flush();
    }

    private static String abbreviate(List<Long> seqs) {
        return seqs.size() <= 20 ? seqs.toString()
                : seqs.subList(0, 20).stream().map(String::valueOf).collect(Collectors.joining(", ", "[", ", ... ]"))
                        + " (" + seqs.size() + ")";
    }
}
