package io.handover.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a backend sends clients now.
 *
 * @param targets what the backend's authoritative source says (Consul's catalog, the hosts holding the VIP)
 * @param observations what other vantage points see (each Consul DNS server, each route table)
 */
public record RedirectState(Targets targets, List<Observation> observations) {

    public RedirectState {
        observations = List.copyOf(observations);
    }

    /**
     * Why clients are not sent to {@code master} alone, by the source and every vantage point; empty
     * if they all agree. The one comparison that status, the MHA status hook and switchover share.
     *
     * @param role how to name the master in the message: {@code the orig master}, {@code the writable master}
     */
    public Optional<String> disagreement(Host master, String role) {
        List<String> problems = new ArrayList<>();
        if (!targets.onlyAt(master)) {
            problems.add(targets.isEmpty() ? "sends clients nowhere" : "sends clients to " + targets.describe());
        }
        for (Observation observation : observations) {
            if (observation.error() != null) {
                problems.add(observation.source() + " cannot answer: " + observation.error());
            } else if (!observation.targets().onlyAt(master)) {
                problems.add(observation.source() + " answers " + observation.targets().describe());
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)
                + " (expected: only " + role + " " + master.name() + " at " + master.endpoint() + ")");
    }

    /**
     * Whether the source or a vantage point that answered sends clients somewhere other than
     * {@code master} alone: what {@code handover register} fixes, unlike a vantage point that
     * cannot answer at all.
     */
    public boolean sendsElsewhere(Host master) {
        return !targets.onlyAt(master)
                || observations.stream().anyMatch(observation -> observation.error() == null && !observation.targets().onlyAt(master));
    }

    /**
     * What one vantage point answered.
     *
     * @param source what was asked ({@code dns 127.0.0.1:8600}, {@code route table rtb-0a1b})
     * @param targets what it answered
     * @param error why it could not answer, or null
     */
    public record Observation(String source, Targets targets, String error) {
        public Observation {
            targets = targets == null ? Targets.NONE : targets;
            // one line: it is printed in status tables, MHA's log and the journal
            error = error == null ? null : String.join(" ", error.strip().split("\\s*\\R+\\s*"));
        }
    }
}
