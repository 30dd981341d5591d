package io.handover.awsroute;

import io.handover.toolkit.contract.BoundRedirect;
import static io.handover.awsroute.TestBackends.DB1;
import static io.handover.awsroute.TestBackends.DB2;
import static io.handover.awsroute.TestBackends.DESTINATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Reachability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What moto cannot do by itself, through {@link Ec2Proxy}: throttling, a write whose answer is lost,
 * an error that echoes the credentials; and where credentials come from (a profile, an assumed role).
 */
@ExtendWith(SharedMoto.class)
class AwsRouteFailuresIT {

    private static final String TEST_KEY_ID = "AKIAHANDOVERTEST0001";

    private MotoVpc vpc;
    private Ec2Proxy proxy;
    private String keys;

    @BeforeEach
    void createVpc(Moto moto) throws Exception {
        vpc = MotoVpc.create(moto.endpoint(), 2, 3);
        proxy = new Ec2Proxy(moto.endpoint());
        keys = vpc.redirectKeys(DESTINATION, vpc.routeTables);
    }

    @AfterEach
    void close() {
        proxy.close();
        vpc.close();
    }

    private BoundRedirect redirect(String extraBackendKeys) {
        return TestBackends.create("handover.backends.aws-route { region = \"us-east-1\", endpoint = \"" + proxy.endpoint() + "\" "
                + extraBackendKeys + " }", keys);
    }

    @Test
    void aFewThrottledCallsConverge() throws Exception {
        try (BoundRedirect redirect = redirect("")) {
            proxy.throttleNext(3);

            redirect.activate(DB2, Deadline.after(Duration.ofSeconds(20)));

            assertThat(proxy.throttled()).isEqualTo(3);
            assertThat(vpc.routedTo(vpc.routeTables.get(0), DESTINATION)).isEqualTo(vpc.interfaces.get(1));
            assertThat(redirect.verify(DB2, Deadline.after(Duration.ofSeconds(5))).passed()).isTrue();
        }
    }

    @Test
    void throttledForeverFailsRetryableByTheDeadlineAndSaysSo() throws Exception {
        try (BoundRedirect redirect = redirect("")) {
            proxy.throttleForever(true);
            Duration budget = Duration.ofSeconds(3);
            for (String operation : new String[] {"activate", "release", "current"}) {
                long start = System.nanoTime();
                BackendException failure = catchThrowableOfType(BackendException.class, () -> {
                    Deadline deadline = Deadline.after(budget);
                    switch (operation) {
                        case "activate" -> redirect.activate(DB2, deadline);
                        case "release" -> redirect.release(DB1, Reachability.REACHABLE, deadline);
                        default -> redirect.current(deadline);
                    }
                });
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(failure).as(operation).isNotNull();
                assertThat(failure.kind()).as(operation).isEqualTo(BackendException.Kind.RETRYABLE);
                assertThat(failure.getMessage()).as(operation).contains("was throttled by the EC2 API until the deadline (")
                        .contains("RequestLimitExceeded");
                assertThat(took).as(operation).isLessThan(budget.plusMillis(500));
            }
            assertThat(proxy.count("ReplaceRoute") + proxy.count("CreateRoute") + proxy.count("DeleteRoute")).isZero();
        }
    }

    @Test
    void aWriteWhoseAnswerIsLostIsSettledByReadingTheTablesBack() throws Exception {
        vpc.route(vpc.routeTables.get(0), DESTINATION, vpc.interfaces.get(0));
        vpc.route(vpc.routeTables.get(1), DESTINATION, vpc.interfaces.get(0));
        try (BoundRedirect redirect = TestBackends.create(TestBackends.backendConfig(proxy.endpoint()), keys, Duration.ofMillis(300))) {
            proxy.holdAnswers("ReplaceRoute", 1, Duration.ofSeconds(1));

            redirect.activate(DB2, Deadline.after(Duration.ofSeconds(10)));

            // the first ReplaceRoute timed out but was applied: the read-back saw it, only the other table was written again
            assertThat(proxy.count("ReplaceRoute")).isEqualTo(2);
            assertThat(vpc.routedTo(vpc.routeTables.get(0), DESTINATION)).isEqualTo(vpc.interfaces.get(1));
            assertThat(vpc.routedTo(vpc.routeTables.get(1), DESTINATION)).isEqualTo(vpc.interfaces.get(1));
        }
    }

    @Test
    void aWriteThatNeverAnswersIsAmbiguousByTheDeadline() throws Exception {
        try (BoundRedirect redirect = TestBackends.create(TestBackends.backendConfig(proxy.endpoint()), keys, Duration.ofMillis(300))) {
            proxy.holdAnswers("CreateRoute", 1000, Duration.ofSeconds(2));
            proxy.throttleNext(0);
            long start = System.nanoTime();
            // the held CreateRoute is applied upstream, so break the read-back too: every later call is throttled
            BackendException failure = catchThrowableOfType(BackendException.class, () -> {
                Deadline deadline = Deadline.after(Duration.ofSeconds(2));
                new Thread(() -> {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    proxy.throttleForever(true);
                }).start();
                redirect.activate(DB2, deadline);
            });

            assertThat(failure.kind()).isEqualTo(BackendException.Kind.AMBIGUOUS);
            assertThat(failure.getMessage()).contains("the change may have been applied");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void credentialsNeverReachAMessageOrTheCauses() throws Exception {
        try (BoundRedirect redirect = redirect("")) {
            proxy.echoCredentials(true);

            BackendException failure = catchThrowableOfType(BackendException.class, () -> redirect.activate(DB2, Deadline.after(Duration.ofSeconds(5))));

            assertThat(failure.kind()).isEqualTo(BackendException.Kind.PERMANENT);
            assertThat(failure.getMessage()).startsWith("reading route tables ").contains("the EC2 API refused handover's credentials (AuthFailure:");
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).contains("[REDACTED]").doesNotContain(TEST_KEY_ID)
                    .doesNotContain(System.getProperty("aws.secretAccessKey")).doesNotContain("Signature=" + "0").doesNotContainPattern("Signature=[0-9a-f]{8}");
        }
    }

    @Test
    void aProfileNamesTheCredentialsAndAMissingOneFailsAtOnce(@TempDir Path directory) throws Exception {
        Path credentials = Files.writeString(directory.resolve("credentials"),
                "[handover]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile-secret\n");
        String previous = System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try (BoundRedirect redirect = redirect(", profile = handover"); BoundRedirect missing = redirect(", profile = nobody")) {
            redirect.activate(DB1, Deadline.after(Duration.ofSeconds(10)));
            assertThat(proxy.requests()).extracting(Ec2Proxy.Request::accessKeyId).containsOnly("AKIAPROFILEKEY000001");

            long start = System.nanoTime();
            BackendException failure = catchThrowableOfType(BackendException.class, () -> missing.activate(DB1, Deadline.after(Duration.ofSeconds(10))));
            assertThat(failure.kind()).isEqualTo(BackendException.Kind.PERMANENT);
            assertThat(failure.getMessage()).contains("no AWS credentials to call the EC2 API at " + proxy.endpoint()).contains("nobody")
                    .doesNotContain("profile-secret");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        } finally {
            restore("aws.sharedCredentialsFile", previous);
        }
    }

    @Test
    void aRoleIsAssumedThroughStsAndItsCredentialsSignTheEc2Calls() throws Exception {
        // moto serves STS too; the SDK's standard setting points STS (and only STS) at the proxy
        String previous = System.setProperty("aws.endpointUrlSts", proxy.endpoint().toString());
        try (BoundRedirect redirect = redirect(", role-arn = \"arn:aws:iam::123456789012:role/handover\"")) {
            redirect.activate(DB1, Deadline.after(Duration.ofSeconds(10)));

            assertThat(proxy.requests()).filteredOn(request -> request.action().equals("AssumeRole"))
                    .extracting(Ec2Proxy.Request::accessKeyId).containsExactly(TEST_KEY_ID);
            assertThat(proxy.requests()).filteredOn(request -> !request.action().equals("AssumeRole")).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.accessKeyId()).isNotEqualTo(TEST_KEY_ID).startsWith("ASIA"));
        } finally {
            restore("aws.endpointUrlSts", previous);
        }
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
