package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.Cluster;
import io.handover.api.Host;
import java.util.List;
import org.junit.jupiter.api.Test;

class MhaArgumentsTest {

    @Test
    void aHostIsMatchedByAddressBeforeName() {
        // The configuration refuses this cluster; matching must not depend on that alone.
        Host namedLikeDb2 = new Host("198.51.100.12", "198.51.100.11", 3306, true);
        Host db2 = new Host("db2", "198.51.100.12", 3306, true);
        Cluster cluster = new Cluster("c", List.of(namedLikeDb2, db2));

        assertThat(MhaArguments.hostAt(cluster, "198.51.100.12", 3306)).contains(db2);
        assertThat(MhaArguments.hostAt(cluster, "198.51.100.11", 3306)).contains(namedLikeDb2);
        assertThat(MhaArguments.hostAt(cluster, "db2", 3306)).contains(db2);
        assertThat(MhaArguments.hostAt(cluster, "db2", 3307)).isEmpty();
    }
}
