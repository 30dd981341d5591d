package io.handover.awsroute;

import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteState;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/** Reading one destination's route out of DescribeRouteTables' answer. */
final class RouteTables {

    private RouteTables() {}

    /** The table's route for {@code destination}, if it has one. */
    static Optional<Route> route(RouteTable table, Cidr destination) {
        return table.routes().stream().filter(route -> destination.matches(route.destinationCidrBlock())).findFirst();
    }

    /** Whether the route sends the destination to {@code networkInterface}, and EC2 calls it active (not a blackhole). */
    static boolean pointsAt(Route route, String networkInterface) {
        return networkInterface.equals(route.networkInterfaceId()) && route.state() == RouteState.ACTIVE;
    }

    /**
     * What the route sends packets to, as EC2 names it: the network interface (which an instance
     * route also shows), else the gateway, NAT, peering...; with {@code (blackhole)} when its target is gone.
     */
    static String target(Route route) {
        String target = Stream.of(route.networkInterfaceId(), route.instanceId(), route.gatewayId(), route.natGatewayId(),
                        route.transitGatewayId(), route.vpcPeeringConnectionId(), route.localGatewayId(), route.carrierGatewayId(),
                        route.egressOnlyInternetGatewayId(), route.coreNetworkArn())
                .filter(id -> id != null && !id.isEmpty()).findFirst().orElse("an unknown target");
        return route.state() == RouteState.BLACKHOLE ? target + " (blackhole)" : target;
    }

    /** {@code routes 198.18.200.10/32 to eni-0abc (db2)}, {@code has no route for 198.18.200.10/32}. */
    static String describe(Optional<Route> route, Cidr destination, RouteEntry entry) {
        return route.map(r -> "routes " + destination + " to " + entry.name(target(r)))
                .orElse("has no route for " + destination);
    }
}
