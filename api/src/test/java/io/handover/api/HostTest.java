package io.handover.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Host's hand-written equals and hashCode keep a record's meaning: every component counts. */
class HostTest {

    private static final Host DB1 = new Host("db1", "198.51.100.11", 3306, true);

    @Test
    void equalWhenEveryComponentIs() {
        Host same = new Host(new String("db1"), new String("198.51.100.11"), 3306, true);
        assertThat(same).isEqualTo(DB1).hasSameHashCodeAs(DB1);
    }

    @Test
    void differsWhenAnyComponentDoes() {
        List<Host> others = List.of(
                new Host("db2", "198.51.100.11", 3306, true),
                new Host("db1", "198.51.100.12", 3306, true),
                new Host("db1", "198.51.100.11", 3307, true),
                new Host("db1", "198.51.100.11", 3306, false));
        assertThat(others).allSatisfy(other -> assertThat(other).isNotEqualTo(DB1));
        assertThat(DB1).isNotEqualTo(null).isNotEqualTo("db1 (198.51.100.11:3306)");
    }
}
