package io.handover.awsroute;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * A VPC in moto as a test needs it, made through the EC2 API the way an operator would: a subnet,
 * route tables, and one network interface per host with source/destination check off. Also the
 * test's own view of the tables, through a client of its own, independent of the backend's.
 */
final class MotoVpc implements AutoCloseable {

    static final String REGION = "us-east-1";

    final Ec2Client ec2;
    final String vpc;
    final String subnet;
    final List<String> routeTables = new ArrayList<>();
    final List<String> interfaces = new ArrayList<>();

    private MotoVpc(Ec2Client ec2, String vpc, String subnet) {
        this.ec2 = ec2;
        this.vpc = vpc;
        this.subnet = subnet;
    }

    static MotoVpc create(URI endpoint, int tables, int hosts) {
        Ec2Client ec2 = Ec2Client.builder().region(Region.of(REGION)).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAMOTOFIXTURE00001", "fixture")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.1.0/24")).subnet().subnetId();
        MotoVpc fixture = new MotoVpc(ec2, vpc, subnet);
        for (int i = 0; i < tables; i++) {
            fixture.routeTables.add(fixture.newRouteTable());
        }
        for (int i = 0; i < hosts; i++) {
            fixture.interfaces.add(fixture.newInterface(false));
        }
        return fixture;
    }

    String newRouteTable() {
        return ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
    }

    String newInterface(boolean sourceDestCheck) {
        String eni = ec2.createNetworkInterface(r -> r.subnetId(subnet)).networkInterface().networkInterfaceId();
        ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).sourceDestCheck(v -> v.value(sourceDestCheck)));
        return eni;
    }

    RouteTable table(String id) {
        return ec2.describeRouteTables(r -> r.routeTableIds(id)).routeTables().get(0);
    }

    /** The network interface the table routes {@code destination} to, or null when it has no such route. */
    String routedTo(String table, String destination) {
        return table(table).routes().stream().filter(route -> destination.equals(route.destinationCidrBlock()))
                .map(Route::networkInterfaceId).findFirst().orElse(null);
    }

    void route(String table, String destination, String eni) {
        if (routedTo(table, destination) == null) {
            ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock(destination).networkInterfaceId(eni));
        } else {
            ec2.replaceRoute(r -> r.routeTableId(table).destinationCidrBlock(destination).networkInterfaceId(eni));
        }
    }

    /** {@code route-tables = [...]} and {@code network-interfaces { db1 = ..., }} for hosts db1..dbN. */
    String redirectKeys(String destination, List<String> tables) {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < interfaces.size(); i++) {
            hosts.append(i == 0 ? "" : ", ").append("db").append(i + 1).append(" = \"").append(interfaces.get(i)).append('"');
        }
        return "destination = \"" + destination + "\", route-tables = [" + String.join(", ", tables.stream().map(t -> "\"" + t + "\"").toList())
                + "], network-interfaces { " + hosts + " }";
    }

    @Override
    public void close() {
        ec2.close();
    }
}
