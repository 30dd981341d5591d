package io.handover.cli;

import io.handover.api.SshOverrides;
import io.handover.api.Cluster;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import io.handover.config.HandoverConfig;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The arguments MHA 0.58 appends to a hook's command line, always as {@code --name=value}, in
 * any order. Arguments we do not use are tolerated and logged by name only: some carry passwords.
 */
final class MhaArguments {

    @Option(names = "--command", required = true, paramLabel = "CMD", description = "What MHA asks for: one of the commands above.")
    String command;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "The cluster; default: the one whose hosts include --orig_master_ip:--orig_master_port.")
    String cluster;

    @Option(names = "--orig_master_host", hidden = true) String origMasterHost;
    @Option(names = "--orig_master_ip", hidden = true) String origMasterIp;
    @Option(names = "--orig_master_port", hidden = true) Integer origMasterPort;
    @Option(names = "--orig_master_user", hidden = true) String origMasterUser;
    @Option(names = "--orig_master_password", hidden = true) String origMasterPassword;
    @Option(names = "--new_master_host", hidden = true) String newMasterHost;
    @Option(names = "--new_master_ip", hidden = true) String newMasterIp;
    @Option(names = "--new_master_port", hidden = true) Integer newMasterPort;
    @Option(names = "--new_master_user", hidden = true) String newMasterUser;
    @Option(names = "--new_master_password", hidden = true) String newMasterPassword;
    @Option(names = "--orig_master_is_new_slave", hidden = true) boolean origMasterIsNewSlave;
    @Option(names = "--ssh_user", hidden = true) String sshUser;
    @Option(names = "--ssh_options", hidden = true) String sshOptions;
    @Option(names = "--orig_master_ssh_user", hidden = true) String origMasterSshUser;
    @Option(names = "--new_master_ssh_user", hidden = true) String newMasterSshUser;

    /** MHA's SSH login and options, which win over a backend's SSH configuration (the VIP backend's). */
    SshOverrides sshOverrides() {
        String user = sshUser != null ? sshUser : origMasterSshUser != null ? origMasterSshUser : newMasterSshUser;
        return new SshOverrides(Optional.ofNullable(user).filter(u -> !u.isBlank()),
                Optional.ofNullable(sshOptions).filter(o -> !o.isBlank()));
    }

    /** The names of arguments we do not use, without values: ssh_user, ssh_options, ... */
    static List<String> ignoredNames(List<String> unmatched) {
        return unmatched.stream().filter(arg -> arg.startsWith("--")).map(arg -> arg.split("=", 2)[0]).toList();
    }

    /** The cluster named by --cluster, else the one that has the orig master (or, for start, the new one). */
    ClusterConfig resolveCluster(HandoverConfig config) {
        if (cluster != null) {
            return Clusters.select(config, cluster).get(0);
        }
        String ip = origMasterIp != null ? origMasterIp : newMasterIp;
        Integer port = origMasterIp != null ? origMasterPort : newMasterPort;
        String host = origMasterIp != null ? origMasterHost : newMasterHost;
        if (ip == null && host == null) {
            throw new HandoverException(ExitCode.FAILED,
                    "cannot tell the cluster: give --cluster, or --orig_master_ip and --orig_master_port as MHA does");
        }
        int mysqlPort = port == null ? 3306 : port;
        List<ClusterConfig> matches = config.clusters().values().stream()
                .filter(c -> hostAt(c.cluster(), ip != null ? ip : host, mysqlPort).isPresent()
                        || host != null && hostAt(c.cluster(), host, mysqlPort).isPresent())
                .toList();
        String tried = (ip != null ? ip : host) + ":" + mysqlPort
                + (host != null && ip != null ? " (or " + host + ":" + mysqlPort + ")" : "");
        if (matches.isEmpty()) {
            throw new HandoverException(ExitCode.FAILED, "no cluster in " + config.file() + " has a host at " + tried
                    + "; clusters: " + String.join(", ", config.clusters().keySet()) + "; give --cluster NAME");
        }
        if (matches.size() > 1) {
            throw new HandoverException(ExitCode.FAILED, "more than one cluster has a host at " + tried + ": "
                    + String.join(", ", matches.stream().map(ClusterConfig::name).toList()) + "; give --cluster NAME");
        }
        return matches.get(0);
    }

    Host origMaster(ClusterConfig cluster) {
        return host(cluster, "orig", origMasterIp, origMasterHost, origMasterPort);
    }

    Host newMaster(ClusterConfig cluster) {
        return host(cluster, "new", newMasterIp, newMasterHost, newMasterPort);
    }

    /**
     * The host at {@code address:port}, matched by address before name: MHA gives addresses, and a
     * host named like another host's address must never win over that host.
     */
    static Optional<Host> hostAt(Cluster cluster, String address, int port) {
        return cluster.hosts().stream().filter(host -> host.port() == port && host.address().equals(address)).findFirst()
                .or(() -> cluster.hosts().stream().filter(host -> host.port() == port && host.name().equals(address)).findFirst());
    }

    private static Host host(ClusterConfig cluster, String which, String ip, String name, Integer port) {
        if (ip == null && name == null) {
            throw new HandoverException(ExitCode.FAILED, "--" + which + "_master_ip is missing");
        }
        int mysqlPort = port == null ? 3306 : port;
        Optional<Host> host = Optional.ofNullable(ip).flatMap(a -> hostAt(cluster.cluster(), a, mysqlPort))
                .or(() -> Optional.ofNullable(name).flatMap(n -> hostAt(cluster.cluster(), n, mysqlPort)));
        return host.orElseThrow(() -> new HandoverException(ExitCode.FAILED, "the " + which + " master "
                + (ip != null ? ip : name) + ":" + mysqlPort + " is not a host of cluster " + cluster.name()
                + " (hosts: " + String.join(", ", cluster.cluster().hosts().stream().map(Host::toString).toList()) + ")"));
    }
}
