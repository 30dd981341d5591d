package io.handover.awsroute;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.awsroute.TestBackends.DB1;
import static io.handover.awsroute.TestBackends.DB2;
import static io.handover.awsroute.TestBackends.DB3;
import static io.handover.awsroute.TestBackends.DESTINATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Reachability;
import io.handover.api.RedirectState;
import io.handover.api.RedirectState.Observation;
import io.handover.api.Targets;
import io.handover.api.Verification;
import io.handover.api.Verification.Check;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two route tables and three interfaces in moto, each test in a VPC of its own; the proxy counts the calls. */
@ExtendWith(SharedMoto.class)
class AwsRouteIT {

    private static final String NO_TABLE = "rtb-0000000000000000a";
    private static final String NO_INTERFACE = "eni-0000000000000000b";

    private MotoVpc vpc;
    private Ec2Proxy proxy;
    private BoundRedirect redirect;
    private String table1;
    private String table2;

    @BeforeEach
    void createVpc(Moto moto) throws Exception {
        vpc = MotoVpc.create(moto.endpoint(), 2, 3);
        table1 = vpc.routeTables.get(0);
        table2 = vpc.routeTables.get(1);
        proxy = new Ec2Proxy(moto.endpoint());
        redirect = TestBackends.create(TestBackends.backendConfig(proxy.endpoint()), vpc.redirectKeys(DESTINATION, vpc.routeTables));
    }

    @AfterEach
    void close() {
        redirect.close();
        proxy.close();
        vpc.close();
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(20));
    }

    private String eni(int host) {
        return vpc.interfaces.get(host - 1);
    }

    @Test
    void activateCreatesTheMissingRouteInEveryTableThenVerifyNamesEachTable() throws Exception {
        assertThat(redirect.activate(DB2, deadline())).as("nothing was replaced").isEmpty();

        assertThat(vpc.routedTo(table1, DESTINATION)).isEqualTo(eni(2));
        assertThat(vpc.routedTo(table2, DESTINATION)).isEqualTo(eni(2));
        assertThat(proxy.count("CreateRoute")).isEqualTo(2);
        Verification verification = redirect.verify(DB2, deadline());
        assertThat(verification.passed()).as("%s", verification).isTrue();
        assertThat(verification.checks()).extracting(Check::source).containsExactly("route table " + table1, "route table " + table2,
                "network interface " + eni(2) + " (db2)");
        assertThat(verification.checks().get(0).detail()).isEqualTo("routes " + DESTINATION + " to " + eni(2) + " (db2)");
    }

    @Test
    void activateWritesOnlyTheTablesThatDifferAndNothingWhenAllAgree() throws Exception {
        vpc.route(table1, DESTINATION, eni(1));
        vpc.route(table2, DESTINATION, eni(2));

        // what it replaced goes to MHA's log and the journal
        assertThat(redirect.activate(DB2, deadline())).isEqualTo("replaced routes to " + eni(1) + " (db1)");
        assertThat(proxy.count("ReplaceRoute")).isEqualTo(1);
        assertThat(proxy.count("CreateRoute")).isZero();
        assertThat(vpc.routedTo(table1, DESTINATION)).isEqualTo(eni(2));

        proxy.clear();
        redirect.activate(DB2, deadline());
        assertThat(proxy.requests()).extracting(Ec2Proxy.Request::action).containsExactly("DescribeRouteTables");
    }

    @Test
    void releaseDeletesOnlyTheRoutesToTheOldMaster() throws Exception {
        vpc.route(table1, DESTINATION, eni(1));
        vpc.route(table2, DESTINATION, eni(2));

        redirect.release(DB1, Reachability.UNREACHABLE, deadline());

        assertThat(vpc.routedTo(table1, DESTINATION)).isNull();
        assertThat(vpc.routedTo(table2, DESTINATION)).isEqualTo(eni(2));
        assertThat(proxy.count("DeleteRoute")).isEqualTo(1);
    }

    @Test
    void currentShowsEachTableAndFlagsTablesThatDisagree() throws Exception {
        vpc.route(table1, DESTINATION, eni(1));
        vpc.route(table2, DESTINATION, eni(2));

        RedirectState state = redirect.current(deadline());

        assertThat(state.targets().hosts()).containsExactly(DB1, DB2);
        assertThat(state.observations()).containsExactly(
                new Observation("route table " + table1, new Targets(List.of(DB1), List.of()), null),
                new Observation("route table " + table2, new Targets(List.of(DB2), List.of()), null));
        assertThat(state.disagreement(DB1, "the master")).hasValue("sends clients to " + DB1 + ", " + DB2 + "; route table " + table2
                + " answers " + DB2 + " (expected: only the master db1 at " + DB1.endpoint() + ")");
    }

    @Test
    void currentShowsATableWithoutTheRouteAndAForeignTarget() throws Exception {
        String foreign = vpc.newInterface(false);
        vpc.route(table1, DESTINATION, foreign);

        RedirectState state = redirect.current(deadline());

        assertThat(state.targets()).isEqualTo(new Targets(List.of(), List.of(foreign)));
        assertThat(state.observations()).containsExactly(
                new Observation("route table " + table1, new Targets(List.of(), List.of(foreign)), null),
                new Observation("route table " + table2, Targets.NONE, null));
        assertThat(state.disagreement(DB1, "the master").orElseThrow()).contains("route table " + table2 + " answers nowhere",
                foreign + " (no host of the cluster)");
    }

    @Test
    void statusFlagsAMissingTableAMissingInterfaceAndOneWithSourceDestCheckOn(Moto moto) throws Exception {
        String checked = vpc.newInterface(true);
        try (BoundRedirect broken = brokenRedirect(moto, checked)) {
            vpc.route(table1, DESTINATION, eni(1));

            RedirectState state = broken.current(deadline());

            String notListed = "does not exist (the EC2 API at " + moto.endpoint() + " does not list it)";
            assertThat(state.observations()).containsExactly(
                    new Observation("route table " + table1, new Targets(List.of(DB1), List.of()), null),
                    new Observation("route table " + NO_TABLE, Targets.NONE, notListed),
                    new Observation("network interface " + checked + " (db2)", Targets.NONE,
                            "source/destination check is on: routed packets are dropped"),
                    new Observation("network interface " + NO_INTERFACE + " (db3)", Targets.NONE, notListed));
            assertThat(state.disagreement(DB1, "the master")).isPresent();
        }
    }

    @Test
    void aMissingTableFailsActivateAtOncePermanentlyNamingItAndChangesNothing(Moto moto) throws Exception {
        try (BoundRedirect broken = brokenRedirect(moto, eni(2))) {
            long start = System.nanoTime();
            BackendException failure = catchThrowableOfType(BackendException.class, () -> broken.activate(DB1, deadline()));

            assertThat(failure.kind()).isEqualTo(BackendException.Kind.PERMANENT);
            assertThat(failure).hasMessage("route table " + NO_TABLE + " does not exist (the EC2 API at " + moto.endpoint()
                    + " does not list it); nothing was changed");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(vpc.routedTo(table1, DESTINATION)).isNull();
        }
    }

    @Test
    void aMissingInterfaceFailsActivateAtOncePermanentlyNamingIt(Moto moto) throws Exception {
        try (BoundRedirect broken = TestBackends.create(TestBackends.backendConfig(moto.endpoint()), "destination = \"" + DESTINATION
                + "\", route-tables = [\"" + table1 + "\"], network-interfaces { db1 = \"" + eni(1) + "\", db2 = \"" + eni(2)
                + "\", db3 = \"" + NO_INTERFACE + "\" }")) {
            long start = System.nanoTime();
            BackendException failure = catchThrowableOfType(BackendException.class, () -> broken.activate(DB3, deadline()));

            assertThat(failure.kind()).isEqualTo(BackendException.Kind.PERMANENT);
            assertThat(failure).hasMessage("pointing " + DESTINATION + " in route table " + table1 + " at " + NO_INTERFACE + " (db3):"
                    + " no such network interface (InvalidNetworkInterfaceID.NotFound: The networkInterface ID '" + NO_INTERFACE
                    + "' does not exist)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void verifyFailsWhileTheNewMastersInterfaceDropsRoutedPackets(Moto moto) throws Exception {
        String checked = vpc.newInterface(true);
        try (BoundRedirect broken = brokenRedirect(moto, checked)) {
            vpc.route(table1, DESTINATION, checked);

            Verification verification = broken.verify(DB2, Deadline.after(Duration.ofMillis(500)));

            assertThat(verification.passed()).isFalse();
            assertThat(verification.checks()).contains(new Check("network interface " + checked + " (db2)", false,
                    "source/destination check is on: routed packets are dropped", verification.checks().get(2).elapsed()));
        }
    }

    /** table1 and a table that does not exist; db2 on {@code db2Interface}, db3 on an interface that does not exist. */
    private BoundRedirect brokenRedirect(Moto moto, String db2Interface) {
        return TestBackends.create(TestBackends.backendConfig(moto.endpoint()), "destination = \"" + DESTINATION + "\", route-tables = [\""
                + table1 + "\", \"" + NO_TABLE + "\"], network-interfaces { db1 = \"" + eni(1) + "\", db2 = \"" + db2Interface
                + "\", db3 = \"" + NO_INTERFACE + "\" }");
    }
}
