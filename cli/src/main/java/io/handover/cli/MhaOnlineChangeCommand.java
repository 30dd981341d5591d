package io.handover.cli;

import io.handover.api.Deadline;
import io.handover.api.Reachability;
import io.handover.flow.FailedException;
import io.handover.flow.Redirector;
import java.time.Duration;
import io.handover.api.Host;
import io.handover.api.Secret;
import io.handover.config.ClusterConfig;
import io.handover.mysql.Dialect;
import io.handover.mysql.Fencer;
import io.handover.mysql.MysqlConnections;
import io.handover.mysql.Sql;
import java.sql.Connection;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(name = "mha-online-change", mixinStandardHelpOptions = true, description = {
    "MHA's master_ip_online_change_script: moves the clients at an online switch.",
    "masterha_master_switch --master_state=alive calls it with --command and the masters' addresses:",
    "  stop   fences the orig master, then releases it in every redirect backend",
    "  start  activates the new master, verifies clients reach exactly it",
    "The fence sets read_only (and super_read_only where it exists), waits up to fence.drain-timeout"
        + " for running transactions and kills the remaining client sessions; if the release fails,"
        + " clients go back to the orig master and the fence is undone.",
    "Exit 0 = done, 10 = a secondary backend failed and secondary-failure = proceed, 1 = MHA must abort."})
final class MhaOnlineChangeCommand extends MhaHookProtocol {

    @Override
    String name() {
        return "mha-online-change";
    }

    @Override
    String appCnfLine() {
        return "master_ip_online_change_script=/opt/handover/bin/handover mha-online-change --config=/etc/handover/handover.conf";
    }

    /** MHA 0.58's MasterRotate calls the online change script with these two only. */
    @Override
    java.util.List<String> commands() {
        return java.util.List.of("stop", "start");
    }

    /** The fence logs in with the password MHA passes, else with the configured one. */
    @Override
    boolean logsInToMysql() {
        return (args.command.equals("stop") || args.command.equals("stopssh")) && args.origMasterPassword == null;
    }

    @Override
    int stop(MhaHook hook) throws Exception {
        ClusterConfig cluster = hook.cluster;
        Host orig = args.origMaster(cluster);
        String user = args.origMasterUser != null ? args.origMasterUser : cluster.mysql().user();
        Secret password = args.origMasterPassword != null ? Secret.of(args.origMasterPassword) : cluster.mysql().password();
        // Kept back from the fence and the release: if they fail, clients go back to the orig master within it.
        Duration reserve = cluster.deadline().dividedBy(4);
        Deadline switchBy = hook.deadline.shorter(hook.deadline.remaining().minus(reserve));
        boolean releaseStarted = false;
        // Opened inside the fence step: an orig master that cannot be reached is a failed fence in MHA's log and the journal.
        Connection[] connection = {null};
        try {
            try {
                hook.reporter.run(null, "fence " + orig.name(), () -> {
                    connection[0] = MysqlConnections.open(orig, user, password, cluster.mysql(), switchBy);
                    // MHA's own account is spared: MHA still needs its session to lock and read the orig master.
                    return Fencer.fence(connection[0], cluster.fenceDrainTimeout(), Set.of(user), switchBy).describe();
                });
                releaseStarted = true;
                return hook.release(Reachability.REACHABLE, switchBy);
            } catch (Exception e) {
                if (connection[0] != null) { // else nothing was fenced
                    undo(hook, orig, connection[0], releaseStarted);
                }
                throw e;
            }
        } catch (java.sql.SQLException e) {
            throw new FailedException("cannot fence the orig master " + orig + ": " + MysqlConnections.reason(e), e);
        } finally {
            closeQuietly(connection[0]);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (java.sql.SQLException e) {
            // the fence and its undo are done or failed already; a session that did not close ends with the server's timeout
        }
    }

    /**
     * MHA aborts the switch, so the orig master must serve clients again: first put back what was
     * released (a writable master that no client can find is an outage), then undo whatever of the
     * fence was applied.
     */
    private static void undo(MhaHook hook, Host orig, Connection connection, boolean releaseStarted) throws Exception {
        if (releaseStarted) {
            new Redirector(hook.cluster, hook.reporter).activate(orig, hook.deadline);
        }
        hook.reporter.run(null, "unfence " + orig.name(), () -> {
            // The fence's own inverse: on MySQL SET PERSIST, else a restart would bring back the fence.
            for (Sql statement : Dialect.of(Sql.of("SELECT VERSION()").single(connection)).writable()) {
                statement.execute(connection);
            }
            return "the switch failed: the orig master takes writes again; MHA aborts the switch";
        });
    }
}
