package io.handover.awsroute;

import io.handover.api.BackendException;
import io.handover.api.BackendException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What an EC2 call's failure means for the caller (docs/AWS.md): throttling and 5xx are
 * RETRYABLE (not applied); a missing resource, a malformed parameter, a refused permission or
 * credential are PERMANENT, named at once; a write that got no answer may have been applied:
 * AMBIGUOUS, for a read-back to settle. A call that never reached the API is RETRYABLE.
 */
final class Ec2Errors {

    static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown");
    private static final Set<String> CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch",
            "ExpiredToken", "ExpiredTokenException", "InvalidToken", "IncompleteSignature", "RequestExpired", "OptInRequired",
            "UnrecognizedClientException", "MissingAuthenticationToken");
    private static final Set<String> FORBIDDEN = Set.of("UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "Blocked");

    private Ec2Errors() {}

    /**
     * @param action the EC2 action ({@code ReplaceRoute}), for permission messages: ec2:ReplaceRoute
     * @param subject what was done, for every message ({@code pointing route table rtb-0a1b at eni-0c2d (db2)})
     * @param write whether the call changes state: a write without an answer is ambiguous
     * @param where the endpoint, for messages about reaching it
     */
    static BackendException classify(SdkException e, String action, String subject, boolean write, String where) {
        if (e instanceof AwsServiceException service) {
            return service(service, action, subject);
        }
        String detail = Redaction.apply(String.valueOf(e.getMessage()));
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return write
                    ? failure(Kind.AMBIGUOUS, e, "timeout", false, subject + ": no answer from " + where + " in time;"
                            + " the change may have been applied (" + detail + ")")
                    : failure(Kind.RETRYABLE, e, "timeout", false, subject + ": no answer from " + where + " in time (" + detail + ")");
        }
        Throwable root = rootCause(e);
        if (root instanceof ConnectException || root instanceof UnknownHostException || root instanceof NoRouteToHostException) {
            // the request never left: nothing was applied
            return failure(Kind.RETRYABLE, e, root.getClass().getSimpleName(), false, subject + ": cannot reach " + where
                    + " (" + root.getClass().getSimpleName() + ": " + Redaction.apply(String.valueOf(root.getMessage())) + ")");
        }
        if (root instanceof IOException) {
            return write
                    ? failure(Kind.AMBIGUOUS, e, root.getClass().getSimpleName(), false, subject + ": the connection to " + where
                            + " broke after the request was sent; the change may have been applied (" + detail + ")")
                    : failure(Kind.RETRYABLE, e, root.getClass().getSimpleName(), false, subject + ": the connection to " + where
                            + " broke (" + detail + ")");
        }
        if (detail.contains("credentials") || detail.contains("Profile file") || detail.contains("profile '")) {
            return failure(Kind.PERMANENT, e, "credentials", false, subject + ": no AWS credentials to call " + where
                    + " with: " + detail);
        }
        return failure(Kind.RETRYABLE, e, e.getClass().getSimpleName(), false, subject + ": " + detail);
    }

    /** An SDK call that failed with an unexpected runtime exception: cut off by its timeout, as far as anyone can tell. */
    static BackendException interrupted(RuntimeException e, String subject, boolean write, String where) {
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Redaction.apply(e.getMessage()));
        return write
                ? failure(Kind.AMBIGUOUS, e, e.getClass().getSimpleName(), false, subject + ": the call to " + where
                        + " was cut off; the change may have been applied (" + detail + ")")
                : failure(Kind.RETRYABLE, e, e.getClass().getSimpleName(), false, subject + ": the call to " + where
                        + " was cut off (" + detail + ")");
    }

    private static BackendException service(AwsServiceException e, String action, String subject) {
        String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
        String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : "";
        String service = e.awsErrorDetails() != null && e.awsErrorDetails().serviceName() != null ? e.awsErrorDetails().serviceName().toUpperCase(java.util.Locale.ROOT) : "EC2";
        String answer = " (" + code + (message.isBlank() ? "" : ": " + truncate(message)) + ")";
        if (THROTTLING.contains(code) || e.statusCode() == 429 || e.isThrottlingException()) {
            return failure(Kind.RETRYABLE, e, code, true, subject + ": throttled by the " + service + " API" + answer);
        }
        if (e.statusCode() >= 500) {
            return failure(Kind.RETRYABLE, e, code, false, subject + ": the " + service + " API failed with HTTP " + e.statusCode() + answer);
        }
        if (code.startsWith("InvalidRouteTableID") || code.startsWith("InvalidRouteTableId")) {
            return failure(Kind.PERMANENT, e, code, false, subject + ": no such route table" + answer);
        }
        if (code.startsWith("InvalidNetworkInterfaceID") || code.startsWith("InvalidNetworkInterfaceId")) {
            return failure(Kind.PERMANENT, e, code, false, subject + ": no such network interface" + answer);
        }
        if (FORBIDDEN.contains(code)) {
            String permission = "STS".equals(service) ? "sts:AssumeRole" : "ec2:" + action;
            return failure(Kind.PERMANENT, e, code, false, subject + ": not allowed to call " + permission
                    + ": the IAM policy of handover's credentials must allow it" + answer);
        }
        if (CREDENTIALS.contains(code) || e.statusCode() == 401) {
            return failure(Kind.PERMANENT, e, code, false, subject + ": the " + service + " API refused handover's credentials" + answer);
        }
        return failure(Kind.PERMANENT, e, code, false, subject + ": the " + service + " API refused the call" + answer);
    }

    private static BackendException failure(Kind kind, Throwable original, String code, boolean throttled, String message) {
        String redacted = Redaction.apply(message);
        return new BackendException(kind, redacted, new Ec2Failure(code, throttled, redacted, original));
    }

    /** EC2's UnauthorizedOperation carries a long encoded blob: the start says what matters. */
    private static String truncate(String message) {
        String oneLine = message.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
