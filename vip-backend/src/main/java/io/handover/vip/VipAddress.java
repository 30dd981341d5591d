package io.handover.vip;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The virtual IP with its prefix length, {@code 198.51.100.50/24}: the prefix is the subnet's on the
 * hosts' interface. Without one, {@code ip addr add} makes a /32 that has no subnet route.
 *
 * @param ip the dotted IPv4 address, as clients connect to it
 * @param prefix the prefix length, 1-32
 */
record VipAddress(String ip, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern FORM = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

    /** {@code 198.51.100.50/24}, the form {@code ip addr add} takes. */
    String cidr() {
        return ip + "/" + prefix;
    }

    @Override
    public String toString() {
        return cidr();
    }

    /** The subnet the VIP's prefix makes: {@code 198.51.100.0/24}. */
    String subnet() {
        long network = bits(ip) & mask();
        return (network >>> 24) + "." + (network >>> 16 & 255) + "." + (network >>> 8 & 255) + "." + (network & 255) + "/" + prefix;
    }

    /** Whether {@code address}, an IPv4 address in dotted form, is in the VIP's subnet; false for anything else. */
    boolean subnetContains(String address) {
        return IPV4.matcher(address).matches() && (bits(address) & mask()) == (bits(ip) & mask());
    }

    /** Whether {@code address} is an IP address rather than a DNS name: dotted IPv4, or IPv6 (it has a colon). */
    static boolean isIpLiteral(String address) {
        return IPV4.matcher(address).matches() || address.contains(":");
    }

    private long mask() {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    private static long bits(String dotted) {
        long bits = 0;
        for (String octet : dotted.split("\\.")) {
            bits = bits << 8 | Integer.parseInt(octet);
        }
        return bits;
    }

    /** The address in {@code text}, or empty after telling {@code problem} what is wrong with it. */
    static Optional<VipAddress> parse(String text, Consumer<String> problem) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            problem.accept("'" + text + "' is not an IPv4 address with a prefix length, such as 198.51.100.50/24");
            return Optional.empty();
        }
        if (matcher.group(5) == null) {
            problem.accept("'" + text + "' has no prefix length: give the hosts' subnet, such as " + text
                    + "/24 (without one, ip addr add makes a /32 with no subnet route)");
            return Optional.empty();
        }
        long bits = 0;
        for (int group = 1; group <= 5; group++) {
            String part = matcher.group(group);
            if (part.length() > 1 && part.startsWith("0")) {
                problem.accept("'" + text + "' has a leading zero in '" + part + "': tools differ on whether it is octal");
                return Optional.empty();
            }
            if (group <= 4) {
                int octet = Integer.parseInt(part);
                if (octet > 255) {
                    problem.accept("'" + text + "': " + octet + " is not an octet (0-255)");
                    return Optional.empty();
                }
                bits = bits << 8 | octet;
            }
        }
        int prefix = Integer.parseInt(matcher.group(5));
        if (prefix < 1 || prefix > 32) {
            problem.accept("'" + text + "': the prefix length must be 1-32, got " + prefix);
            return Optional.empty();
        }
        int first = (int) (bits >>> 24);
        if (first == 0 || first == 127 || first >= 224) {
            problem.accept("'" + text + "' is not a unicast address a host can hold (0.x, 127.x and 224.0.0.0 and above are not)");
            return Optional.empty();
        }
        long hostMask = prefix == 32 ? 0 : (1L << (32 - prefix)) - 1;
        if (prefix <= 30 && (bits & hostMask) == 0) {
            problem.accept("'" + text + "' is the network address of its subnet, not one a host can hold");
            return Optional.empty();
        }
        if (prefix <= 30 && (bits & hostMask) == hostMask) {
            problem.accept("'" + text + "' is the broadcast address of its subnet, not one a host can hold");
            return Optional.empty();
        }
        return Optional.of(new VipAddress(matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3) + "." + matcher.group(4), prefix));
    }
}
