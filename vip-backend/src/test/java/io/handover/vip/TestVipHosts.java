package io.handover.vip;

import static io.handover.vip.ConfigFixture.DB1;
import static io.handover.vip.ConfigFixture.DB2;
import static io.handover.vip.ConfigFixture.MAIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestVipHosts {

    private final VipHosts hosts = new VipHosts(null, null, new VipEntry(new VipAddress("198.51.100.50", 24), "eth0", Map.of()), MAIN, 3);

    @Test
    void aDuplicateNamesTheMacThatAnsweredAndWhoCouldNotBeAsked() {
        String dad = "ARPING 198.51.100.50 from 0.0.0.0 eth0\nUnicast reply from 198.51.100.50 [AA:C0:AC:94:B6:BF]  0.578ms\n"
                + "Sent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n";

        assertThat(hosts.duplicate(DB2, "eth0", dad, List.of(DB1))).isEqualTo("198.51.100.50 is in use on the network: duplicate address"
                + " detection from db2 (eth0) got an answer from MAC aa:c0:ac:94:b6:bf; it may be db1, which could not be asked, or a machine"
                + " that is no host of the cluster. Not adding it there, or clients would reach either. Remove it from that machine, then run"
                + " this again");
    }

    @Test
    void aLeftoverGratuitousArpSenderIsNamedAsAnAnnouncement() {
        String dad = "ARPING 198.51.100.50 from 0.0.0.0 eth0\nBroadcast request from 198.51.100.50 [76:51:A2:21:50:D7] for"
                + " 198.51.100.50 [FF:FF:FF:FF:FF:FF] 691.818ms\nSent 1 probes (1 broadcast(s))\nReceived 1 response(s) (1 request(s), 1 broadcast(s))\n";

        assertThat(hosts.duplicate(DB2, "eth0", dad, List.of())).isEqualTo("198.51.100.50 is in use on the network: duplicate address"
                + " detection from db2 (eth0) got an announcement (gratuitous ARP) from MAC 76:51:a2:21:50:d7; every other host of cluster"
                + " main said it does not hold it, so it is no host of the cluster (or its interface is not the one configured). Not adding"
                + " it there, or clients would reach either. Remove it from that machine, then run this again");
    }
}
