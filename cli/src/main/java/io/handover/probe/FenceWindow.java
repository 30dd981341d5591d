package io.handover.probe;

import io.handover.journal.JournalEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A span in which a host was fenced, from the journal: from the end of its {@code fence} step to
 * the first later step that legitimately let it take writes again ({@code promote}, {@code unfence},
 * or clients sent to it by {@code activate}); open-ended if there was none.
 *
 * @param host the fenced host's name
 * @param from when fencing it was complete
 * @param until when it could take writes again, or null
 * @param command the command that fenced it ({@code switchover}, {@code mha-online-change stop})
 */
public record FenceWindow(String host, Instant from, Instant until, String command) {

    public boolean contains(Instant time) {
        return time.isAfter(from) && (until == null || time.isBefore(until));
    }

    /** The fences among {@code journal} (oldest first) that ended between {@code start} and {@code end}. */
    public static List<FenceWindow> from(List<JournalEntry> journal, Instant start, Instant end) {
        List<FenceWindow> windows = new ArrayList<>();
        for (int i = 0; i < journal.size(); i++) {
            JournalEntry fence = journal.get(i);
            if (!"ok".equals(fence.outcome()) || !fence.step().startsWith("fence ")
                    || fence.time().isBefore(start) || fence.time().isAfter(end)) {
                continue;
            }
            String host = fence.step().substring("fence ".length());
            Instant until = null;
            for (JournalEntry later : journal.subList(i + 1, journal.size())) {
                String step = later.step();
                if ("ok".equals(later.outcome()) && later.time().isAfter(fence.time())
                        && (step.equals("promote " + host) || step.equals("unfence " + host) || step.equals("activate " + host))) {
                    until = later.time();
                    break;
                }
            }
            windows.add(new FenceWindow(host, fence.time(), until, fence.command()));
        }
        return windows;
    }
}
