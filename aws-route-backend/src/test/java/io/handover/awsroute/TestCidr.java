package io.handover.awsroute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestCidr {

    @Test
    void parsesAndPrintsIpv4Blocks() {
        assertThat(Cidr.parse("198.18.200.10/32")).hasValueSatisfying(cidr -> assertThat(cidr).hasToString("198.18.200.10/32"));
        assertThat(Cidr.parse("0.0.0.0/0")).hasValueSatisfying(cidr -> assertThat(cidr.isNetwork()).isTrue());
        assertThat(Cidr.parse("255.255.255.255/32")).isPresent();
    }

    @Test
    void refusesWhatIsNoIpv4Block() {
        assertThat(Cidr.parse("198.18.200.10")).isEmpty();
        assertThat(Cidr.parse("198.18.200.256/32")).isEmpty();
        assertThat(Cidr.parse("198.18.200.10/33")).isEmpty();
        assertThat(Cidr.parse("2001:db8::1/128")).isEmpty();
        assertThat(Cidr.parse(null)).isEmpty();
    }

    @Test
    void knowsHostBitsAndItsNetwork() {
        Cidr cidr = Cidr.parse("198.18.200.10/24").orElseThrow();

        assertThat(cidr.isNetwork()).isFalse();
        assertThat(cidr.network()).hasToString("198.18.200.0/24");
    }

    @Test
    void matchesEc2sSpellingByValue() {
        Cidr cidr = Cidr.parse("198.18.200.10/32").orElseThrow();

        assertThat(cidr.matches("198.18.200.10/32")).isTrue();
        assertThat(cidr.matches("198.018.200.010/32")).isTrue();
        assertThat(cidr.matches("198.18.200.11/32")).isFalse();
        assertThat(cidr.matches(null)).isFalse();
    }
}
