package io.handover.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decision after a write, for outcomes a real Consul produces only by chance (a leader lost mid-commit). */
class ReadBackTest {

    private static final String HINT = "another writer?";

    private static final BackendException LEADERSHIP_LOST = BackendException.ambiguous("leadership lost while committing log", null);
    private static final BackendException NO_LEADER = BackendException.retryable("No cluster leader", null);

    @Test
    void anAmbiguousWriteThatTheReadBackShowsAppliedSucceeds() {
        assertThatCode(() -> ReadBack.apply("consul service main-master", () -> {
            throw LEADERSHIP_LOST;
        }, () -> null, HINT)).doesNotThrowAnyException();
    }

    @Test
    void anAmbiguousWriteStaysAmbiguousWhenTheReadBackShowsOtherwiseOrFails() {
        assertThatThrownBy(() -> ReadBack.apply("consul service main-master", () -> {
            throw LEADERSHIP_LOST;
        }, () -> "the catalog shows no instance", HINT)).isSameAs(LEADERSHIP_LOST);
        assertThatThrownBy(() -> ReadBack.apply("consul service main-master", () -> {
            throw LEADERSHIP_LOST;
        }, () -> {
            throw NO_LEADER;
        }, HINT)).isSameAs(LEADERSHIP_LOST);
    }

    @Test
    void anAppliedWriteThatTheReadBackContradictsIsRetryable() {
        assertThatThrownBy(() -> ReadBack.apply("consul service main-master", () -> {}, () -> "the catalog shows [198.51.100.11:3306 on node db1]", HINT))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE))
                .hasMessage("after the write to consul service main-master the catalog shows [198.51.100.11:3306 on node db1]"
                        + " (another writer?)");
    }

    @Test
    void anAppliedWriteWhoseReadBackFailsCountsAsDone() {
        assertThatCode(() -> ReadBack.apply("consul service main-master", () -> {}, () -> {
            throw NO_LEADER;
        }, HINT)).doesNotThrowAnyException();
    }

    @Test
    void aWriteThatFailedForSureIsNotReadBack() {
        AtomicInteger readBacks = new AtomicInteger();

        assertThatThrownBy(() -> ReadBack.apply("consul service main-master", () -> {
            throw NO_LEADER;
        }, () -> {
            readBacks.incrementAndGet();
            return null;
        }, HINT)).isSameAs(NO_LEADER);
        assertThat(readBacks).hasValue(0);
    }
}
