package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.consul.TestBackends.DB1;
import static io.handover.consul.TestBackends.DB2;
import static io.handover.consul.TestBackends.DB3;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.RedirectState;
import io.handover.api.Verification;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Switching the master between hosts on a healthy 3-server cluster: HTTP and DNS of every server agree. */
@ExtendWith(SharedConsulCluster.class)
class ConsulSwitchIT {

    private static ConsulTestCluster cluster;

    @BeforeAll
    static void useSharedCluster(ConsulTestCluster shared) {
        cluster = shared;
    }

    @Test
    void activateMakesEveryServerAnswerOnlyTheNewMasterOverHttpAndDns() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "switch-master")) {
            backend.activate(DB1, Deadline.after(ofSeconds(10)));
            backend.activate(DB2, Deadline.after(ofSeconds(10)));

            Verification verification = backend.verify(DB2, Deadline.after(ofSeconds(5)));

            assertThat(verification.passed()).as("%s", verification).isTrue();
            assertThat(verification.checks()).extracting(Verification.Check::source).containsExactly("catalog",
                    "dns " + cluster.server(0).dnsEndpoint(), "dns " + cluster.server(1).dnsEndpoint(), "dns " + cluster.server(2).dnsEndpoint());
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.api(i).endpoints("switch-master?stale")).as("server %d", i).containsExactly("198.51.100.12:3306");
                assertThat(TestDns.addresses(cluster.server(i).dnsEndpoint(), "switch-master")).as("server %d", i).containsExactly("198.51.100.12");
            }
        }
    }

    @Test
    void activateWithoutReleaseLeavesExactlyOneInstance() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "no-release-master")) {
            assertThat(backend.activate(DB1, Deadline.after(ofSeconds(10)))).isEmpty();
            // what it replaced goes to MHA's log and the journal
            assertThat(backend.activate(DB3, Deadline.after(ofSeconds(10)))).isEqualTo("replaced [198.51.100.11:3306 on node db1]");

            assertThat(cluster.api(0).endpoints("no-release-master")).containsExactly("198.51.100.13:3307");
            assertThat(backend.current(Deadline.after(ofSeconds(5))).targets().hosts()).containsExactly(DB3);
        }
    }

    @Test
    void activatingTheCurrentMasterAgainWritesNothing() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "again-master")) {
            backend.activate(DB2, Deadline.after(ofSeconds(10)));
            String before = cluster.api(0).get("catalog/service/again-master");

            assertThat(backend.activate(DB2, Deadline.after(ofSeconds(10)))).isEmpty();

            assertThat(cluster.api(0).get("catalog/service/again-master")).isEqualTo(before);
        }
    }

    @Test
    void releaseIsIdempotentAndRemovesOnlyTheOldMaster() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "release-master")) {
            backend.activate(DB1, Deadline.after(ofSeconds(10)));
            backend.release(DB2, Deadline.after(ofSeconds(10)));
            assertThat(cluster.api(0).endpoints("release-master")).containsExactly("198.51.100.11:3306");

            backend.release(DB1, Deadline.after(ofSeconds(10)));
            backend.release(DB1, Deadline.after(ofSeconds(10)));

            assertThat(cluster.api(0).endpoints("release-master")).isEmpty();
            assertThat(backend.current(Deadline.after(ofSeconds(5))).targets().isEmpty()).isTrue();
        }
    }

    @Test
    void twentySwitchesLeaveNoStaleInstanceAndDnsNeverAnswersTwoMasters() throws Exception {
        List<Host> hosts = List.of(DB1, DB2, DB3);
        List<String> dnsEndpoints = cluster.servers().stream().map(ConsulTestServer::dnsEndpoint).toList();
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "busy-master");
                DnsWatcher watcher = new DnsWatcher(dnsEndpoints, "busy-master")) {
            Host master = DB1;
            backend.activate(master, Deadline.after(ofSeconds(10)));
            for (int i = 1; i <= 20; i++) {
                Host next = hosts.get(i % hosts.size());
                if (i % 2 == 0) {
                    backend.release(master, Deadline.after(ofSeconds(10)));
                }
                backend.activate(next, Deadline.after(ofSeconds(10)));
                Verification verification = backend.verify(next, Deadline.after(ofSeconds(5)));
                assertThat(verification.passed()).as("switch %d: %s", i, verification).isTrue();
                master = next;
            }
            watcher.close();

            assertThat(watcher.doubleAnswers()).isEmpty();
            assertThat(watcher.queries()).isGreaterThan(60);
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.api(i).endpoints("busy-master?stale")).as("server %d", i).containsExactly(master.endpoint());
            }
        }
    }

    @Test
    void currentReportsTheCatalogAndWhatEveryDnsServerAnswers() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "current-master")) {
            backend.activate(DB3, Deadline.after(ofSeconds(10)));
            backend.verify(DB3, Deadline.after(ofSeconds(5)));

            RedirectState state = backend.current(Deadline.after(ofSeconds(5)));

            assertThat(state.targets().hosts()).containsExactly(DB3);
            assertThat(state.disagreement(DB3, "the master")).isEmpty();
            assertThat(state.disagreement(DB2, "the master")).isPresent();
            assertThat(state.observations()).hasSize(3).allSatisfy(observation -> {
                assertThat(observation.targets().hosts()).containsExactly(DB3);
                assertThat(observation.error()).isNull();
            });
            assertThat(state.observations().get(0).source()).isEqualTo("dns " + cluster.server(0).dnsEndpoint());
            assertThat(backend.describe()).isEqualTo("consul service current-master");
        }
    }

    /**
     * A server is also an agent: what it registers through {@code /v1/agent/service/register} lives
     * on its node, and its anti-entropy registers it again after a catalog delete. The switch must
     * not delete it and report success, leaving DNS to answer it next to the new master a sync later.
     */
    @Test
    void activateRefusesToDeleteAnInstanceThatAConsulAgentRegisteredAndChangesNothing() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "agent-owned-master")) {
            backend.activate(DB1, Deadline.after(ofSeconds(10)));
            registerThroughAgent(0, "agent-owned-by-hand", "agent-owned-master", "198.51.100.31", 3306);
            try {
                assertThatThrownBy(() -> backend.activate(DB2, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                        .hasMessage("consul service agent-owned-master: refusing to delete what a Consul agent registered (its node's"
                                + " NodeMeta lacks external-node = \"true\"): the agent's anti-entropy would register it again, and"
                                + " clients would resolve two masters; nothing was changed. Remove it through its agent:"
                                + " instance \"agent-owned-by-hand\" (198.51.100.31:3306) on Consul node \"consul-1\" (address 127.0.0.1):"
                                + " run `consul services deregister -id=agent-owned-by-hand` against the agent of node consul-1"
                                + " (or PUT /v1/agent/service/deregister/agent-owned-by-hand on its HTTP API), and delete its service"
                                + " definition from that agent's configuration if it has one");
                assertThat(cluster.api(0).endpoints("agent-owned-master?consistent"))
                        .containsExactlyInAnyOrder("198.51.100.11:3306", "198.51.100.31:3306");

                cluster.api(0).put("agent/service/deregister/agent-owned-by-hand", ""); // as the message says
                backend.activate(DB2, Deadline.after(ofSeconds(10)));

                assertThat(cluster.api(0).endpoints("agent-owned-master?consistent")).containsExactly("198.51.100.12:3306");
            } finally {
                cluster.api(0).put("agent/service/deregister/agent-owned-by-hand", "");
            }
        }
    }

    /** The agent's instance has the old master's address: release would delete it, and the agent bring it back. */
    @Test
    void releaseRefusesToDeleteTheOldMastersInstanceThatAConsulAgentRegistered() throws Exception {
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "agent-release-master")) {
            registerThroughAgent(1, "agent-release-master", "agent-release-master", DB1.address(), DB1.port());
            try {
                assertThatThrownBy(() -> backend.release(DB1, Reachability.UNREACHABLE, Deadline.after(ofSeconds(10))))
                        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                        .hasMessageContaining("refusing to delete what a Consul agent registered")
                        .hasMessageContaining("instance \"agent-release-master\" (198.51.100.11:3306) on Consul node \"consul-2\"")
                        .hasMessageContaining("`consul services deregister -id=agent-release-master`");
                assertThat(cluster.api(0).endpoints("agent-release-master?consistent")).containsExactly("198.51.100.11:3306");
            } finally {
                cluster.api(1).put("agent/service/deregister/agent-release-master", "");
            }
        }
    }

    /** Registers through server {@code index}'s own agent, as a service definition on that host would, and waits until the catalog has it. */
    private static void registerThroughAgent(int index, String id, String service, String address, int port) throws Exception {
        cluster.api(index).put("agent/service/register", ConsulTestApi.MAPPER.createObjectNode().put("ID", id).put("Name", service)
                .put("Address", address).put("Port", port).toString());
        long end = System.nanoTime() + ofSeconds(10).toNanos();
        while (!cluster.api(index).endpoints(service + "?consistent").contains(address + ":" + port)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the agent of " + cluster.server(index).name() + " did not sync " + id + " within 10 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Consul looks a node name it does not know up as an ID prefix ("db1" as "db"): a host named so
     * must not be taken for the one node whose random ID starts like it (a lab's Consul server's,
     * once in a while), or its failover is refused.
     */
    @Test
    void aHostNamedLikeAnotherNodesIdPrefixIsNotThatNode() throws Exception {
        String agentId = "e7e7e7e7-0000-4000-8000-000000000001";
        cluster.api(0).put("catalog/register", ConsulTestApi.MAPPER.createObjectNode().put("Node", "id-prefix-agent")
                .put("ID", agentId).put("Address", "198.51.100.41").toString());
        Host namedLikeThePrefix = new Host("e7e7e7e7", "198.51.100.42", 3306, true);
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "id-prefix-master")) {
            backend.activate(namedLikeThePrefix, Deadline.after(ofSeconds(10)));

            assertThat(cluster.api(0).endpoints("id-prefix-master")).containsExactly("198.51.100.42:3306");
        } finally {
            cluster.api(0).put("catalog/deregister", "{\"Node\": \"id-prefix-agent\"}");
            cluster.api(0).put("catalog/deregister", "{\"Node\": \"e7e7e7e7\"}");
        }
    }

    @Test
    void activateRefusesANodeThatAConsulAgentOwns() throws Exception {
        Host agentNode = new Host("consul-1", "198.51.100.21", 3306, true);
        try (BoundRedirect backend = TestBackends.create(cluster.backendConfig(), "agent-master")) {
            assertThatThrownBy(() -> backend.activate(agentNode, Deadline.after(ofSeconds(10))))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
                    .hasMessage("Consul node \"consul-1\" belongs to a Consul agent (its NodeMeta lacks external-node = \"true\"),"
                            + " whose anti-entropy would undo the switch; give the host a name no agent uses");
            assertThat(cluster.api(0).endpoints("agent-master")).isEmpty();
        }
    }
}
