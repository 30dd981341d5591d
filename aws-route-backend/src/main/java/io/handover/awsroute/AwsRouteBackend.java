package io.handover.awsroute;

import io.handover.api.Backend;
import io.handover.api.Redirect;
import io.handover.api.RedirectContext;

/**
 * One EC2 API (a region, or an endpoint), configured once: its SDK client, built on first use,
 * serves every cluster whose redirect routes an overlay address there, and is closed with it.
 */
final class AwsRouteBackend implements Backend {

    private final AwsRouteConfig config;
    private final Ec2Api ec2;

    AwsRouteBackend(AwsRouteConfig config, Ec2Api ec2) {
        this.config = config;
        this.ec2 = ec2;
    }

    @Override
    public Redirect bind(RedirectContext context) {
        RouteEntry entry = RouteEntry.read(context.entry(), context.cluster());
        return new RouteRedirect(ec2, config, entry, context.cluster());
    }

    @Override
    public void close() {
        ec2.close();
    }

    /** For tests: whether any EC2 call was prepared yet. */
    boolean started() {
        return ec2.started();
    }
}
