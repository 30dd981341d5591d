package io.handover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VIP is no other cluster's server: its failover would take that server's address. */
class SharedResourcesTest {

    @TempDir
    Path dir;

    @Test
    void aVipThatIsAnotherClustersServerAddressIsRefusedWhicheverComesFirst() throws Exception {
        BackendRegistry registry = BackendRegistry.discover(List.of(RecordingBackendFactory.named("vip", "address")));
        Path file = dir.resolve("handover.conf");
        Files.writeString(file, """
                handover.lock.backend = file
                handover.clusters.a {
                  mysql { user = u, password = p }
                  hosts = [ { name = a1, address = "198.51.100.11" } ]
                  redirect = [ { backend = vip, address = "198.51.100.21/24" } ]
                }
                handover.clusters.b {
                  mysql { user = u, password = p }
                  hosts = [ { name = b1, address = "198.51.100.21" }, { name = b2, address = "198.51.100.11", port = 3307 } ]
                  redirect = [ { backend = vip, address = "198.51.100.51/24" } ]
                }
                handover.clusters.c {
                  mysql { user = u, password = p }
                  hosts = [ { name = c1, address = "198.51.100.31" } ]
                  redirect = [ { backend = vip, address = "198.51.100.11/24" } ]
                }
                """);

        assertThatThrownBy(() -> new ConfigLoader(registry, Map.of()).load(file))
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).problems().stream().map(ConfigProblem::toString).toList())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                .containsExactly(
                        "handover.clusters.b.hosts[0].address: 198.51.100.21 is also the VIP of cluster a"
                                + " (handover.clusters.a.redirect[0].address): a failover of that cluster would take this server's"
                                + " address; give the VIP an address of its own (" + file + ":9)",
                        "handover.clusters.c.redirect[0].address: VIP 198.51.100.11 is also the address of host a1 of cluster a"
                                + " (handover.clusters.a.hosts[0].address): a failover of this cluster would take that server's"
                                + " address; give the VIP an address of its own (" + file + ":15)");
        // b2 shares a1's machine on another port: two servers of one machine may be in two clusters
    }
}
