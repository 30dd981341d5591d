package io.handover.consul;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The tests' own DNS client: what a MySQL client resolving through one Consul server would get. */
final class TestDns {

    private TestDns() {}

    /** The A records for {@code <service>.service.consul} on {@code endpoint} (127.0.0.1:port); empty for NXDOMAIN. */
    static List<String> addresses(String endpoint, String service) throws IOException {
        String[] hostPort = endpoint.split(":");
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
        resolver.setTimeout(Duration.ofSeconds(1));
        Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(service + ".service.consul."), Type.A, DClass.IN)));
        List<String> addresses = new ArrayList<>();
        for (Record record : answer.getSection(Section.ANSWER)) {
            if (record instanceof ARecord a) {
                addresses.add(a.getAddress().getHostAddress());
            }
        }
        return addresses;
    }
}
