package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.handover.api.Host;
import org.junit.jupiter.api.Test;

class TestOrchestratorKv {

    @Test
    void theMasterKeyHoldsHostAndPortAndTheKeysBelowItBreakItDown() {
        assertThat(OrchestratorKv.entries("mysql/master", "main", new Host("db2", "198.51.100.12", 3306, true))).containsExactly(
                entry("mysql/master/main", "198.51.100.12:3306"),
                entry("mysql/master/main/hostname", "198.51.100.12"),
                entry("mysql/master/main/port", "3306"),
                entry("mysql/master/main/ipv4", "198.51.100.12"),
                entry("mysql/master/main/ipv6", ""));
    }

    @Test
    void anIpv6LiteralGoesToIpv6() {
        assertThat(OrchestratorKv.entries("mysql/master", "main", new Host("db2", "2001:db8::12", 3306, true)))
                .containsEntry("mysql/master/main/ipv4", "")
                .containsEntry("mysql/master/main/ipv6", "2001:db8:0:0:0:0:0:12");
    }

    @Test
    void aHostNameIsNotResolvedDuringAFailover() {
        assertThat(OrchestratorKv.entries("db", "orders", new Host("db2", "db2.example.com", 3307, true))).containsExactly(
                entry("db/orders", "db2.example.com:3307"),
                entry("db/orders/hostname", "db2.example.com"),
                entry("db/orders/port", "3307"),
                entry("db/orders/ipv4", ""),
                entry("db/orders/ipv6", ""));
        assertThat(OrchestratorKv.entries("db", "orders", new Host("db2", "300.1.1.1", 3307, true)))
                .containsEntry("db/orders/ipv4", "");
    }
}
