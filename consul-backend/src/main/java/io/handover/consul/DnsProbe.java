package io.handover.consul;

import io.handover.api.Deadline;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks one Consul DNS server what clients would get for {@code <service>.service[.<dc>].<domain>}:
 * a single query straight to that server, no cache and no search list, so the answer is that
 * server's view at this moment.
 */
final class DnsProbe {

    /**
     * @param addresses the A records' addresses (or CNAME targets, for a node registered by name)
     * @param error why there was no answer, or null; NXDOMAIN counts as an answer with no address
     */
    record Answer(List<String> addresses, String error) {
        @Override
        public String toString() {
            return error != null ? error : addresses.isEmpty() ? "NXDOMAIN" : addresses.toString();
        }
    }

    private final ConsulConfig config;

    @Inject
    DnsProbe(ConsulConfig config) {
        this.config = config;
    }

    String name(String service) {
        return service + ".service." + config.datacenter().map(dc -> dc + ".").orElse("") + config.dnsDomain() + ".";
    }

    Answer query(DnsEndpoint endpoint, String service, Deadline deadline) {
        try {
            // one query, bounded by dns-timeout and what is left of the deadline: the server's host
            // name too is resolved within it (the JDK's resolver would wait as long as resolv.conf says)
            Duration timeout = deadline.capped(config.dnsTimeout());
            InetAddress server = BoundedLookup.lookup(endpoint.host(), timeout).get(0);
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(server, endpoint.port()));
            resolver.setTCP(config.dnsTcp());
            resolver.setTimeout(deadline.capped(config.dnsTimeout()));
            Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name(service)), Type.A, DClass.IN)));
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                return new Answer(List.of(), "answered " + Rcode.string(rcode));
            }
            List<String> addresses = new ArrayList<>();
            List<String> aliases = new ArrayList<>();
            for (Record record : response.getSection(Section.ANSWER)) {
                if (record instanceof ARecord a) {
                    addresses.add(a.getAddress().getHostAddress());
                } else if (record instanceof CNAMERecord cname) {
                    aliases.add(cname.getTarget().toString(true));
                }
            }
            // a node registered by host name is answered as a CNAME, maybe followed by its A records
            return new Answer(aliases.isEmpty() ? addresses : aliases, null);
        } catch (TextParseException e) {
            return new Answer(List.of(), "cannot query '" + name(service) + "': " + e.getMessage());
        } catch (IOException e) {
            return new Answer(List.of(), e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
