package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.vip.VipScripts.Holding;
import org.junit.jupiter.api.Test;

class TestVipScripts {

    private static final VipAddress VIP = new VipAddress("198.51.100.50", 24);

    @Test
    void theVipIsFoundOnEveryInterfaceWithItsPrefixAndNothingElseMatches() {
        String output = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                2: eth0    inet 198.51.100.12/24 brd 198.51.100.255 scope global eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 198.51.100.50/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever
                2: eth0    inet 198.51.100.500/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever
                3: eth1    inet 198.51.100.50/32 scope global eth1\\       valid_lft forever preferred_lft forever
                4: eth2    inet 198.51.100.5/24 scope global eth2\\       valid_lft forever preferred_lft forever
                """;

        assertThat(VipScripts.holdings(output, VIP)).containsExactly(new Holding("eth0", "198.51.100.50/24"), new Holding("eth1", "198.51.100.50/32"));
        assertThat(VipScripts.holdings("", VIP)).isEmpty();
    }

    @Test
    void theAnnouncersPidFileIsPerVipAndPerHost() {
        // network namespaces on one machine share /run: each host needs its own record
        assertThat(VipScripts.pidFile(VIP, ConfigFixture.DB1)).isEqualTo("/run/handover-vip-198.51.100.50@198.51.100.11.pid");
        assertThat(VipScripts.pidFile(VIP, new io.handover.api.Host("db9", "db9.example.com/x", 3306, true)))
                .isEqualTo("/run/handover-vip-198.51.100.50@db9.example.com_x.pid");
    }
}
