package io.handover.awsroute;

import static org.assertj.core.api.Assertions.assertThat;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

class TestEc2Errors {

    private static final String WHERE = "the EC2 API of us-east-1";

    private static Ec2Exception ec2(int status, String code, String message) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Ec2").build()).build();
    }

    private static BackendException classify(Exception e, boolean write) {
        return Ec2Errors.classify((software.amazon.awssdk.core.exception.SdkException) e, "ReplaceRoute", "pointing X", write, WHERE);
    }

    @Test
    void throttlingIsRetryableAndMarkedAsSuch() {
        BackendException failure = classify(ec2(503, "RequestLimitExceeded", "Request limit exceeded."), true);

        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure).hasMessage("pointing X: throttled by the EC2 API (RequestLimitExceeded: Request limit exceeded.)");
        assertThat(Ec2Failure.throttled(failure)).isTrue();
        assertThat(Ec2Failure.throttled(classify(ec2(400, "Throttling", "Rate exceeded"), false))).isTrue();
    }

    @Test
    void serverErrorsAreRetryable() {
        BackendException failure = classify(ec2(500, "InternalError", "An internal error has occurred"), true);

        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure).hasMessage("pointing X: the EC2 API failed with HTTP 500 (InternalError: An internal error has occurred)");
        assertThat(Ec2Failure.throttled(failure)).isFalse();
    }

    @Test
    void missingResourcesRefusalsAndBadParametersArePermanent() {
        assertThat(classify(ec2(400, "InvalidRouteTableID.NotFound", "The routeTable ID 'rtb-1' does not exist"), true))
                .hasMessage("pointing X: no such route table (InvalidRouteTableID.NotFound: The routeTable ID 'rtb-1' does not exist)")
                .extracting(e -> ((BackendException) e).kind()).isEqualTo(Kind.PERMANENT);
        assertThat(classify(ec2(400, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID 'eni-1' does not exist"), true))
                .hasMessageContaining("no such network interface").extracting(e -> ((BackendException) e).kind()).isEqualTo(Kind.PERMANENT);
        assertThat(classify(ec2(403, "UnauthorizedOperation", "You are not authorized to perform this operation. Encoded authorization"
                + " failure message: " + "x".repeat(500)), true).getMessage())
                .startsWith("pointing X: not allowed to call ec2:ReplaceRoute: the IAM policy of handover's credentials must allow it"
                        + " (UnauthorizedOperation: You are not authorized").endsWith("...)").hasSizeLessThan(500);
        assertThat(classify(ec2(400, "InvalidParameterValue", "Value (x) for parameter destinationCidrBlock is invalid"), true).kind())
                .isEqualTo(Kind.PERMANENT);
        assertThat(classify(ec2(401, "AuthFailure", "AWS was not able to validate the provided access credentials"), false))
                .hasMessageContaining("the EC2 API refused handover's credentials (AuthFailure:");
    }

    @Test
    void aWriteWithoutAnAnswerIsAmbiguousAReadRetryable() {
        ApiCallAttemptTimeoutException timeout = ApiCallAttemptTimeoutException.create(300);

        assertThat(classify(timeout, true).kind()).isEqualTo(Kind.AMBIGUOUS);
        assertThat(classify(timeout, true).getMessage()).startsWith("pointing X: no answer from the EC2 API of us-east-1 in time;"
                + " the change may have been applied (");
        assertThat(classify(timeout, false).kind()).isEqualTo(Kind.RETRYABLE);
        SdkClientException reset = SdkClientException.create("Unable to execute HTTP request: Connection reset", new SocketException("Connection reset"));
        assertThat(classify(reset, true).kind()).isEqualTo(Kind.AMBIGUOUS);
        assertThat(classify(reset, false).kind()).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void aCallThatNeverLeftIsRetryableEvenForAWrite() {
        SdkClientException refused = SdkClientException.create("Unable to execute HTTP request: Connection refused",
                new ConnectException("Connection refused"));

        BackendException failure = classify(refused, true);

        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure).hasMessage("pointing X: cannot reach the EC2 API of us-east-1 (ConnectException: Connection refused)");
    }

    @Test
    void noCredentialsIsPermanent() {
        SdkClientException none = SdkClientException.create("Unable to load credentials from any of the providers in the chain"
                + " AwsCredentialsProviderChain(...)");

        assertThat(classify(none, false).kind()).isEqualTo(Kind.PERMANENT);
        assertThat(classify(none, false).getMessage()).startsWith("pointing X: no AWS credentials to call the EC2 API of us-east-1 with:");
    }

    @Test
    void credentialsInAnAnswerAreRedactedFromTheMessageAndTheCause() {
        BackendException failure = classify(ec2(400, "AuthFailure", "bad Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/ec2/aws4_request,"
                + " Signature=0123abcd aws_secret_access_key = wJalrXUtnFEMI/K7MDENG"), false);

        assertThat(failure.getMessage()).doesNotContain("AKIAIOSFODNN7EXAMPLE").doesNotContain("0123abcd").doesNotContain("wJalrXUtnFEMI")
                .contains("Credential=[REDACTED]");
        assertThat(failure.getCause()).isInstanceOf(Ec2Failure.class).hasNoCause();
        assertThat(failure.getCause().getMessage()).doesNotContain("AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void redactionLeavesOrdinaryTextAlone() {
        assertThat(Redaction.apply("route table rtb-0a1b2c3d routes 198.18.200.10/32 to eni-0a1b2c3d (db2)"))
                .isEqualTo("route table rtb-0a1b2c3d routes 198.18.200.10/32 to eni-0a1b2c3d (db2)");
        assertThat(Redaction.apply("key ASIAQWERTYUIOPASDFGH and X-Amz-Security-Token: FwoGZXIvYXdzE"))
                .isEqualTo("key [REDACTED] and X-Amz-Security-Token: [REDACTED]");
    }
}
