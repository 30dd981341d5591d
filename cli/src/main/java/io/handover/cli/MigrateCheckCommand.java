package io.handover.cli;

import io.handover.flow.FailedException;
import io.handover.migrate.MigrationText;
import io.handover.migrate.PathCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", mixinStandardHelpOptions = true, description = {
    "Check that every redirect of the cluster sends clients to the writable master.",
    "For every redirect of the cluster: where it sends clients at each vantage point (Consul's catalog"
        + " and each DNS server, the hosts holding a VIP, each route table) and whether a client going through"
        + " it reaches the writable master (a MySQL connection through the VIP, or through client-endpoint's"
        + " name, compared by server id). Changes nothing.",
    "Exit 0 when all agree, 1 naming each backend that does not and what it answered."})
final class MigrateCheckCommand implements Callable<Integer> {

    @ParentCommand
    private MigrateCommand migrate;

    @Mixin
    private MigrateCommand.ReadOptions options;

    @Override
    public Integer call() throws Exception {
        PathCheck.Result result = PathCheck.run(migrate.cluster(options.cluster));
        if (options.json) {
            migrate.printJson(result);
        } else {
            migrate.print(MigrationText.check(result));
        }
        if (!result.agrees()) {
            throw new FailedException(MigrationText.checkVerdict(result));
        }
        return ExitCode.OK;
    }
}
