package io.handover.awsroute;

import io.handover.api.Backend;
import io.handover.api.BackendFactory;
import io.handover.api.BackendSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code aws-route} backend: an overlay address routed to the master's network interface in
 * every route table of a VPC, through the EC2 API. Reads {@code handover.backends.aws-route} once
 * per process; does no I/O here (not even the AWS config files): {@code config check} runs it.
 * Four objects need no dependency injection: wired by hand.
 */
public final class AwsRouteBackendFactory implements BackendFactory {

    /** The longest one EC2 call may take, also capped by the deadline: EC2 answers in well under a second. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "aws-route";
    }

    @Override
    public String description() {
        return "routes an overlay address to the master's network interface in every VPC route table (EC2 API)";
    }

    @Override
    public Backend configure(BackendSettings settings) {
        return configure(settings, CALL_TIMEOUT);
    }

    /** With a shorter call timeout, for tests of calls that get no answer. */
    Backend configure(BackendSettings settings, Duration callTimeout) {
        AwsRouteConfig config = AwsRouteConfig.read(settings.config());
        return new AwsRouteBackend(config, new Ec2Api(config, callTimeout));
    }

    /** Every key of {@code handover.backends.aws-route} and of a redirect entry, with its default and a comment. */
    @Override
    public String configHelp() {
        try (InputStream in = AwsRouteBackendFactory.class.getResourceAsStream("aws-route-backend.conf")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
