package io.handover.probe;

import io.handover.config.ClientEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
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
 * Resolves the client endpoint the way a client without a caching resolver does, on every call:
 * one query to the first DNS server, the next one only if it does not answer. No cache (dnsjava's
 * Lookup keeps one), so that the probe sees a switch the moment a DNS server does.
 */
public final class EndpointResolver {

    /** One query's timeout; Consul answers in about a millisecond. */
    public static final Duration QUERY_TIMEOUT = Duration.ofMillis(500);

    /** A failed resolution: nobody answered, or the answer held no address. */
    public static final class ResolveException extends Exception {
        ResolveException(String message) {
            super(message);
        }
    }

    /**
     * @param addresses the A records, in the server's order
     * @param server who answered
     */
    public record Answer(List<String> addresses, ClientEndpoint.DnsServer server) {}

    private final ClientEndpoint endpoint;
    private final Name name;

    public EndpointResolver(ClientEndpoint endpoint) {
        this.endpoint = endpoint;
        try {
            this.name = Name.fromString(endpoint.name().endsWith(".") ? endpoint.name() : endpoint.name() + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + endpoint.name(), e);
        }
    }

    /** The first server that answers decides; an answer without addresses (NXDOMAIN) is a failure. */
    public Answer resolve() throws ResolveException {
        List<String> failures = new ArrayList<>();
        for (ClientEndpoint.DnsServer server : endpoint.dns()) {
            try {
                Answer answer = ask(server);
                if (answer.addresses().isEmpty()) {
                    throw new ResolveException(server + " has no address for " + endpoint.name());
                }
                return answer;
            } catch (IOException e) {
                failures.add(server + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw new ResolveException("no DNS server answered for " + endpoint.name() + ": " + String.join("; ", failures));
    }

    /** What one server answers now: its A records, empty for NXDOMAIN. */
    public Answer ask(ClientEndpoint.DnsServer server) throws IOException, ResolveException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(server.host()), server.port()));
        resolver.setTimeout(QUERY_TIMEOUT);
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new ResolveException(server + " answered " + Rcode.string(rcode) + " for " + endpoint.name());
        }
        List<String> addresses = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof ARecord a) {
                addresses.add(a.getAddress().getHostAddress());
            }
        }
        return new Answer(addresses, server);
    }
}
