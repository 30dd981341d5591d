package io.handover.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.RedirectState.Observation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one comparison status, the MHA status hook and switchover share, and the words it says. */
class RedirectStateTest {

    private static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);
    private static final Host DB2 = new Host("db2", "198.51.100.12", 3306, true);
    private static final Cluster MAIN = new Cluster("main", List.of(DB1, DB2));

    private static Targets at(Host... hosts) {
        return new Targets(List.of(hosts), List.of());
    }

    @Test
    void everyVantagePointAgreeingWithTheMasterIsNoDisagreement() {
        RedirectState state = new RedirectState(at(DB1), List.of(new Observation("dns 198.51.100.21:8600", at(DB1), null)));

        assertThat(state.disagreement(DB1, "the writable master")).isEmpty();
    }

    @Test
    void nowhereTwoHostsAndVantagePointsThatDisagreeOrFailAreNamed() {
        assertThat(new RedirectState(Targets.NONE, List.of()).disagreement(DB1, "the orig master"))
                .hasValue("sends clients nowhere (expected: only the orig master db1 at 198.51.100.11:3306)");

        RedirectState split = new RedirectState(at(DB1, DB2), List.of(
                new Observation("dns 198.51.100.21:8600", Targets.ofAddresses(MAIN, List.of("198.51.100.12", "192.0.2.9")), null),
                new Observation("dns 198.51.100.22:8600", null, "timed out")));

        assertThat(split.disagreement(DB1, "the writable master")).hasValue("sends clients to db1 (198.51.100.11:3306),"
                + " db2 (198.51.100.12:3306); dns 198.51.100.21:8600 answers db2 (198.51.100.12:3306), 192.0.2.9 (no host of"
                + " the cluster); dns 198.51.100.22:8600 cannot answer: timed out (expected: only the writable master db1 at"
                + " 198.51.100.11:3306)");
    }

    @Test
    void aHostIsFoundByAddressBeforeName() {
        Host namedLikeAnAddress = new Host("198.51.100.12", "198.51.100.13", 3306, true);
        Cluster tricky = new Cluster("tricky", List.of(namedLikeAnAddress, DB2));

        assertThat(tricky.hostAt("198.51.100.12", 3306)).contains(DB2);
        assertThat(tricky.hostAt("db2", 3306)).contains(DB2);
        assertThat(tricky.hostAt("198.51.100.12", 3307)).isEmpty();
    }

    @Test
    void anErrorOverSeveralLinesIsKeptOnOneForTablesLogsAndTheJournal() {
        Observation observation = new Observation("mysql via VIP", null, "Communications link failure\n\n"
                + "The last packet sent successfully to the server was 0 milliseconds ago.\n");

        assertThat(observation.error()).isEqualTo("Communications link failure The last packet sent successfully to the server"
                + " was 0 milliseconds ago.");
    }
}
