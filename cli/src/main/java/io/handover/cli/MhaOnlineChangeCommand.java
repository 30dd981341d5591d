package io.handover.cli;

import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.ClusterConfig;
import io.handover.mysql.Fencer;
import io.handover.mysql.MysqlConnections;
import java.sql.Connection;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(name = "mha-online-change", mixinStandardHelpOptions = true, description = {
    "MHA's master_ip_online_change_script (masterha_master_switch --master_state=alive). In app.cnf:",
    "  master_ip_online_change_script=/opt/handover/bin/handover mha-online-change --config=/etc/handover/handover.conf",
    "  stop    fences the orig master (read_only, super_read_only where it exists, waits up to",
    "          fence.drain-timeout for running transactions, kills the remaining client sessions),",
    "          then releases it in every redirect backend; on failure the fence is undone",
    "  start   activates the new master and verifies clients reach exactly it",
    "Exit 0 = done, 10 = a secondary backend failed and secondary-failure = proceed, 1 = MHA must abort."})
final class MhaOnlineChangeCommand extends MhaHookProtocol {

    @Override
    String name() {
        return "mha-online-change";
    }

    @Override
    int stop(MhaHook hook) throws Exception {
        ClusterConfig cluster = hook.cluster;
        Host orig = args.origMaster(cluster);
        String user = args.origMasterUser != null ? args.origMasterUser : cluster.mysql().user();
        Secret password = args.origMasterPassword != null ? Secret.of(args.origMasterPassword) : cluster.mysql().password();
        try (Connection connection = MysqlConnections.open(orig, user, password, cluster.mysql())) {
            try {
                hook.reporter.run(null, "fence " + orig.name(), () -> {
                    // MHA's own account is spared: MHA still needs its session to lock and read the orig master.
                    Fencer.Result result = Fencer.fence(connection, cluster.fenceDrainTimeout(), Set.of(user), hook.deadline);
                    return "read_only set, waited " + result.drainedMs() + " ms for transactions, killed "
                            + result.killed() + " sessions, gtid " + result.gtidPosition();
                });
                return hook.release();
            } catch (Exception e) {
                // Whatever failed after read_only may have been set: MHA aborts, so the orig master must take writes again.
                hook.reporter.run(null, "unfence " + orig.name(), () -> {
                    try (var statement = connection.createStatement()) {
                        statement.execute("SET GLOBAL read_only = OFF");
                    }
                    return "the switch failed: the orig master takes writes again; MHA aborts the switch";
                });
                throw e;
            }
        } catch (java.sql.SQLException e) {
            throw new HandoverException(ExitCode.FAILED, "cannot fence the orig master " + orig + ": " + e.getMessage(), e);
        }
    }
}
