package io.handover.awsroute;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The few EC2 calls the backend makes, each bounded by the caller's deadline (the SDK's API-call
 * and attempt timeouts, capped at {@code callTimeout}) and tried once: the SDK's own retries are
 * off, so that {@link Ec2Backoff} and the deadline decide when to try again. Failures become
 * {@link BackendException}s ({@link Ec2Errors}).
 *
 * <p>The SDK client is built on first use, not when the configuration is read: building it reads
 * the AWS config files, and {@code config check} must not depend on them. It is shared by every
 * cluster of the process and closed with the backend.
 */
final class Ec2Api implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ec2Api.class);
    private static final String ROLE_SESSION_NAME = "handover";

    private final AwsRouteConfig config;
    private final Duration callTimeout;
    private Ec2Client ec2;
    private SdkHttpClient http;
    private AwsCredentialsProvider credentials;
    private StsClient sts;
    private boolean closed;

    Ec2Api(AwsRouteConfig config, Duration callTimeout) {
        this.config = config;
        this.callTimeout = callTimeout;
    }

    /** The tables among {@code ids} that exist, by id; a missing one is absent from the map. */
    Map<String, RouteTable> routeTables(Collection<String> ids, Deadline deadline) throws BackendException {
        // A filter, not RouteTableIds: one missing table must not hide what the others say.
        List<RouteTable> tables = call("DescribeRouteTables", "reading route tables " + String.join(", ", ids), false, deadline,
                (client, timeouts) -> client.describeRouteTables(request -> request.overrideConfiguration(timeouts)
                        .filters(Filter.builder().name("route-table-id").values(ids).build())).routeTables());
        Map<String, RouteTable> result = new LinkedHashMap<>();
        tables.forEach(table -> result.put(table.routeTableId(), table));
        return result;
    }

    /** The interfaces among {@code ids} that exist, by id. */
    Map<String, NetworkInterface> interfaces(Collection<String> ids, Deadline deadline) throws BackendException {
        List<NetworkInterface> interfaces = call("DescribeNetworkInterfaces", "reading network interfaces " + String.join(", ", ids),
                false, deadline, (client, timeouts) -> client.describeNetworkInterfaces(request -> request.overrideConfiguration(timeouts)
                        .filters(Filter.builder().name("network-interface-id").values(ids).build())).networkInterfaces());
        Map<String, NetworkInterface> result = new LinkedHashMap<>();
        interfaces.forEach(eni -> result.put(eni.networkInterfaceId(), eni));
        return result;
    }

    /** Points an existing route at {@code networkInterface}; false if the table has no route for the destination. */
    boolean replaceRoute(String table, Cidr destination, String networkInterface, String subject, Deadline deadline) throws BackendException {
        try {
            call("ReplaceRoute", subject, true, deadline, (client, timeouts) -> client.replaceRoute(request -> request
                    .overrideConfiguration(timeouts).routeTableId(table).destinationCidrBlock(destination.toString())
                    .networkInterfaceId(networkInterface)));
            return true;
        } catch (BackendException e) {
            // EC2: InvalidParameterValue "There is no route defined for '...' in the route table. Use CreateRoute instead."
            if (code(e).equals("InvalidRoute.NotFound") || code(e).equals("InvalidParameterValue") && e.getMessage().contains("no route")) {
                return false;
            }
            throw e;
        }
    }

    /** Adds the route; false if the table already has one for the destination. */
    boolean createRoute(String table, Cidr destination, String networkInterface, String subject, Deadline deadline) throws BackendException {
        try {
            call("CreateRoute", subject, true, deadline, (client, timeouts) -> client.createRoute(request -> request
                    .overrideConfiguration(timeouts).routeTableId(table).destinationCidrBlock(destination.toString())
                    .networkInterfaceId(networkInterface)));
            return true;
        } catch (BackendException e) {
            if (code(e).equals("RouteAlreadyExists")) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the route; false if there was none. */
    boolean deleteRoute(String table, Cidr destination, String subject, Deadline deadline) throws BackendException {
        try {
            call("DeleteRoute", subject, true, deadline, (client, timeouts) -> client.deleteRoute(request -> request
                    .overrideConfiguration(timeouts).routeTableId(table).destinationCidrBlock(destination.toString())));
            return true;
        } catch (BackendException e) {
            if (code(e).equals("InvalidRoute.NotFound")) {
                return false;
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(Ec2Client client, AwsRequestOverrideConfiguration timeouts);
    }

    private <T> T call(String action, String subject, boolean write, Deadline deadline, Call<T> call) throws BackendException {
        Ec2Client client = client();
        Duration timeout = deadline.capped(callTimeout);
        AwsRequestOverrideConfiguration timeouts = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(timeout).apiCallAttemptTimeout(timeout).build();
        long start = System.nanoTime();
        try {
            T result = call.run(client, timeouts);
            log.debug("{} ({}): {} ms", action, subject, (System.nanoTime() - start) / 1_000_000);
            return result;
        } catch (SdkException e) {
            BackendException failure = Ec2Errors.classify(e, action, subject, write, config.where());
            log.debug("{} ({}) failed after {} ms: {}", action, subject, (System.nanoTime() - start) / 1_000_000, failure.getMessage());
            throw failure;
        } catch (RuntimeException e) {
            // HttpURLConnection fails with a NullPointerException when the SDK's timeout disconnects it
            // while it writes the request (seen with timeouts of a few ms, near the deadline)
            BackendException failure = Ec2Errors.interrupted(e, subject, write, config.where());
            log.debug("{} ({}) failed after {} ms: {}", action, subject, (System.nanoTime() - start) / 1_000_000, e.toString());
            throw failure;
        }
    }

    private static String code(BackendException e) {
        return e.getCause() instanceof Ec2Failure failure ? failure.code() : "";
    }

    private synchronized Ec2Client client() throws BackendException {
        if (closed) {
            throw BackendException.permanent("the aws-route backend is closed");
        }
        if (ec2 == null) {
            try {
                http = UrlConnectionHttpClient.builder()
                        .connectionTimeout(callTimeout)
                        .socketTimeout(callTimeout)
                        .build();
                credentials = credentials(http);
                ec2 = Ec2Client.builder()
                        .region(Region.of(config.region()))
                        .applyMutation(builder -> config.endpoint().ifPresent(builder::endpointOverride))
                        .credentialsProvider(credentials)
                        .httpClient(http)
                        .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build();
            } catch (RuntimeException e) {
                // a broken AWS config file, say: nothing a retry would change
                closeAll();
                throw BackendException.permanent("cannot set up the AWS SDK's EC2 client for " + config.where() + ": "
                        + Redaction.apply(e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        return ec2;
    }

    /**
     * The default chain (environment, system properties, web identity, shared files, container,
     * instance profile) or the named profile; with role-arn, a role assumed with those through STS,
     * at STS's regional endpoint (or the SDK's AWS_ENDPOINT_URL_STS), refreshed before it expires.
     */
    private AwsCredentialsProvider credentials(SdkHttpClient http) {
        AwsCredentialsProvider base = config.profile()
                .<AwsCredentialsProvider>map(profile -> ProfileCredentialsProvider.builder().profileName(profile).build())
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        if (config.roleArn().isEmpty()) {
            return base;
        }
        sts = StsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(base)
                .httpClient(http)
                .overrideConfiguration(override -> override.apiCallTimeout(callTimeout).apiCallAttemptTimeout(callTimeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        String roleArn = config.roleArn().get();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(request -> request.roleArn(roleArn).roleSessionName(ROLE_SESSION_NAME))
                .asyncCredentialUpdateEnabled(false)
                .build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeAll();
    }

    private void closeAll() {
        for (Object resource : new Object[] {ec2, credentials, sts, http}) {
            if (resource instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.debug("closing {}: {}", resource.getClass().getSimpleName(), e.toString());
                }
            }
        }
        ec2 = null;
        credentials = null;
        sts = null;
        http = null;
    }

    /** For tests: whether the SDK client was built (configure and bind must not build it). */
    synchronized boolean started() {
        return ec2 != null;
    }
}
