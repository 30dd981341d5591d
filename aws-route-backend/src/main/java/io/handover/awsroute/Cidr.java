package io.handover.awsroute;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 CIDR block such as {@code 198.18.200.10/32}: the overlay address clients connect to. Compared
 * by value, so that {@code 198.18.200.10/32} from the configuration matches what DescribeRouteTables
 * answers however EC2 spells it.
 */
record Cidr(int address, int prefix) {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /** The block, or empty if {@code text} is not {@code a.b.c.d/n} with octets up to 255 and n up to 32. */
    static Optional<Cidr> parse(String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(matcher.group(i));
            if (octet > 255) {
                return Optional.empty();
            }
            address = address << 8 | octet;
        }
        int prefix = Integer.parseInt(matcher.group(5));
        return prefix > 32 ? Optional.empty() : Optional.of(new Cidr(address, prefix));
    }

    /** Whether only network bits are set: EC2 refuses {@code 198.18.200.10/24}. */
    boolean isNetwork() {
        return (address & ~mask()) == 0;
    }

    /** The same block with its host bits cleared: {@code 198.18.200.0/24}. */
    Cidr network() {
        return new Cidr(address & mask(), prefix);
    }

    /** Whether EC2's spelling of a destination is this block. */
    boolean matches(String destinationCidrBlock) {
        return destinationCidrBlock != null && parse(destinationCidrBlock).filter(this::equals).isPresent();
    }

    private int mask() {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    @Override
    public String toString() {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255) + "/" + prefix;
    }
}
