package io.handover.awsroute;

import io.handover.api.ConfigReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code handover.backends.aws-route}: which EC2 API to call and as whom, shared by every cluster
 * that uses the backend. No credentials here: they come from the AWS SDK's default chain (or a
 * named profile), so they never sit in handover's file nor reach {@code config check}. The keys,
 * their defaults and why each exists are in {@code aws-route-backend.conf}.
 *
 * @param region the region of the route tables, such as {@code us-east-1}
 * @param endpoint an EC2 endpoint other than the region's (a VPC interface endpoint, moto)
 * @param profile the named profile of the shared AWS config files to take credentials from
 * @param roleArn an IAM role to assume with those credentials, through STS
 */
record AwsRouteConfig(String region, Optional<URI> endpoint, Optional<String> profile, Optional<String> roleArn) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_.+@:/-]{1,128}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");

    static AwsRouteConfig read(ConfigReader reader) {
        String region = reader.string("region");
        if (region != null && !REGION.matcher(region).matches()) {
            reader.problem("region", "'" + region + "' is not an AWS region such as us-east-1");
            region = null;
        }
        Optional<URI> endpoint = reader.optionalString("endpoint").flatMap(value -> endpoint(reader, value));
        Optional<String> profile = reader.optionalString("profile").filter(value -> {
            boolean valid = PROFILE.matcher(value).matches();
            if (!valid) {
                reader.problem("profile", "'" + value + "' is not a profile name of the AWS config files, such as handover");
            }
            return valid;
        });
        Optional<String> roleArn = reader.optionalString("role-arn").filter(value -> {
            boolean valid = ROLE_ARN.matcher(value).matches();
            if (!valid) {
                reader.problem("role-arn", "'" + value + "' is not an IAM role ARN such as arn:aws:iam::123456789012:role/handover");
            }
            return valid;
        });
        reader.rejectUnknownKeys();
        return new AwsRouteConfig(region, endpoint, profile, roleArn);
    }

    /** An http(s) URL with a host and nothing after it: the SDK appends nothing, EC2's query API posts to "/". */
    private static Optional<URI> endpoint(ConfigReader reader, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            // never echo it: the user part may hold a secret
            reader.problem("endpoint", "must not hold a user name or password: the SDK signs requests with the credentials of its chain");
            return Optional.empty();
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            reader.problem("endpoint", "'" + value + "' is not an EC2 endpoint URL such as https://ec2.us-east-1.amazonaws.com"
                    + " or http://127.0.0.1:5000");
            return Optional.empty();
        }
        return Optional.of(uri);
    }

    /** Where calls go, for messages: the endpoint, or the region's own. */
    String where() {
        return endpoint.map(uri -> "the EC2 API at " + uri).orElse("the EC2 API of " + region);
    }
}
