package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decision after a write, for outcomes a real Consul produces only by chance (a leader lost mid-commit). */
class TestCatalogWriter {

    private static final BackendException LEADERSHIP_LOST = BackendException.ambiguous("leadership lost while committing log", null);
    private static final BackendException NO_LEADER = BackendException.retryable("No cluster leader", null);

    @Test
    void anAmbiguousWriteThatTheReadBackShowsAppliedSucceeds() {
        assertThatCode(() -> CatalogWriter.apply("consul service main-master", () -> {
            throw LEADERSHIP_LOST;
        }, () -> null)).doesNotThrowAnyException();
    }

    @Test
    void anAmbiguousWriteStaysAmbiguousWhenTheReadBackShowsOtherwiseOrFails() {
        assertThatThrownBy(() -> CatalogWriter.apply("consul service main-master", () -> {
            throw LEADERSHIP_LOST;
        }, () -> "the catalog shows no instance")).isSameAs(LEADERSHIP_LOST);
        assertThatThrownBy(() -> CatalogWriter.apply("consul service main-master", () -> {
            throw LEADERSHIP_LOST;
        }, () -> {
            throw NO_LEADER;
        })).isSameAs(LEADERSHIP_LOST);
    }

    @Test
    void anAppliedWriteThatTheReadBackContradictsIsRetryable() {
        assertThatThrownBy(() -> CatalogWriter.apply("consul service main-master", () -> {}, () -> "the catalog shows [198.51.100.11:3306 on node db1]"))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE))
                .hasMessage("after the transaction on consul service main-master the catalog shows [198.51.100.11:3306 on node db1]"
                        + " (another writer, or a token without node:read and service:read, which hides entries)");
    }

    @Test
    void anAppliedWriteWhoseReadBackFailsCountsAsDone() {
        assertThatCode(() -> CatalogWriter.apply("consul service main-master", () -> {}, () -> {
            throw NO_LEADER;
        })).doesNotThrowAnyException();
    }

    @Test
    void aWriteThatFailedForSureIsNotReadBack() {
        AtomicInteger readBacks = new AtomicInteger();

        assertThatThrownBy(() -> CatalogWriter.apply("consul service main-master", () -> {
            throw NO_LEADER;
        }, () -> {
            readBacks.incrementAndGet();
            return null;
        })).isSameAs(NO_LEADER);
        assertThat(readBacks).hasValue(0);
    }
}
