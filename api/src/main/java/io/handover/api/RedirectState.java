package io.handover.api;

import java.util.List;

/**
 * Where a backend sends clients now.
 *
 * @param targets the addresses clients are sent to, by the backend's authoritative source
 *     (Consul's catalog, the host holding the VIP); empty if none
 * @param observations what other vantage points see (each Consul DNS server), for status output
 */
public record RedirectState(List<String> targets, List<Observation> observations) {

    public RedirectState {
        targets = List.copyOf(targets);
        observations = List.copyOf(observations);
    }

    /**
     * What one vantage point answered.
     *
     * @param source what was asked ({@code dns 127.0.0.1:8600})
     * @param addresses what it answered
     * @param error why it could not answer, or null
     */
    public record Observation(String source, List<String> addresses, String error) {
        public Observation {
            addresses = List.copyOf(addresses);
        }
    }
}
