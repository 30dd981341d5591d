package io.handover.dist;

import io.handover.sandbox.Sandbox;
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

/** Asks one Consul DNS server directly, with no cache in between: what a client resolving now would get. */
final class ConsulDns {

    /** The lab's three Consul DNS servers. */
    static final List<String> LAB_SERVERS =
            List.of(Sandbox.address("c1") + ":8600", Sandbox.address("c2") + ":8600", Sandbox.address("c3") + ":8600");

    private ConsulDns() {}

    /** What each of the lab's Consul DNS servers answers for {@code name}. */
    static List<List<String>> labAnswers(String name) throws IOException {
        List<List<String>> answers = new ArrayList<>();
        for (String server : LAB_SERVERS) {
            answers.add(resolve(server, name));
        }
        return answers;
    }

    static List<String> resolve(String server, String name) throws IOException {
        String[] hostPort = server.split(":");
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
        resolver.setTimeout(Duration.ofSeconds(2));
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
        Message response = resolver.send(query);
        return response.getSection(Section.ANSWER).stream()
                .filter(ARecord.class::isInstance)
                .map(record -> ((ARecord) record).getAddress().getHostAddress())
                .sorted()
                .toList();
    }
}
