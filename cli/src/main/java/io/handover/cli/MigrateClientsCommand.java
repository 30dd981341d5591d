package io.handover.cli;

import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.config.ClusterConfig;
import io.handover.flow.FailedException;
import io.handover.migrate.ClientSessions;
import io.handover.migrate.MigrationText;
import io.handover.migrate.Retirement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "clients", mixinStandardHelpOptions = true, description = {
    "Count the master's application sessions by the path they came in on.",
    "On the writable master: application sessions counted by the local address they came in on (the"
        + " VIP, a routed overlay address, the master's own address that a DNS name such as Consul's resolves"
        + " to), with their client hosts; handover's own account and replication shown apart. Reads the"
        + " master's socket table with ss over ssh (handover.backends.vip.ssh) and its process list (the"
        + " account needs PROCESS); within the cluster's deadline. Changes nothing.",
    "Exit 0 counted; 1 the master cannot be read; 3 no backends.vip.ssh block; 4 not exactly one writable"
        + " master."})
final class MigrateClientsCommand implements Callable<Integer> {

    @ParentCommand
    private MigrateCommand migrate;

    @Mixin
    private MigrateCommand.ReadOptions options;

    @Override
    public Integer call() throws Exception {
        ClusterConfig cluster = migrate.cluster(options.cluster);
        Deadline deadline = Deadline.after(cluster.deadline());
        Host master = Retirement.writableMaster(cluster, "migrate clients counts the sessions on the master", deadline);
        ClientSessions.Report report = read(migrate, cluster, master, deadline);
        if (options.json) {
            migrate.printJson(report);
        } else {
            migrate.print(MigrationText.clients(report));
        }
        return ExitCode.OK;
    }

    static ClientSessions.Report read(MigrateCommand migrate, ClusterConfig cluster, Host master, Deadline deadline) throws Exception {
        try {
            return ClientSessions.read(cluster, master, Retirement.shell(migrate.config(cluster.name()).backends()), deadline);
        } catch (BackendException e) {
            throw new FailedException("cannot count the sessions on " + master + ": " + e.getMessage(), e);
        }
    }
}
