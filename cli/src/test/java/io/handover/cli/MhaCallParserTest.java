package io.handover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.config.BackendRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The hooks' own parser must read every command line it takes exactly as picocli does. */
class MhaCallParserTest {

    /** What MHA 0.58 passes (MasterFailover.pm, MasterRotate.pm), and what users add in app.cnf. */
    @ParameterizedTest
    @ValueSource(strings = {
        "mha-hook --command=status --ssh_user=root --orig_master_host=db1 --orig_master_ip=10.0.0.1 --orig_master_port=3306",
        "mha-hook --config=/etc/h.conf --command=stopssh --ssh_user=root --orig_master_host=db1 --orig_master_ip=10.0.0.1"
            + " --orig_master_port=3306 --orig_master_ssh_port=22",
        "--config=/etc/h.conf --verbose mha-hook --command=start --ssh_user=root --orig_master_host=db1"
            + " --orig_master_ip=10.0.0.1 --orig_master_port=3306 --new_master_host=db2 --new_master_ip=10.0.0.2"
            + " --new_master_port=3307 --new_master_user=mha --new_master_password=p=a=ss",
        "mha-online-change --config=/etc/h.conf --stacktrace --command=stop --orig_master_host=db1 --orig_master_ip=10.0.0.1"
            + " --orig_master_port=3306 --orig_master_user=mha --orig_master_password=secret --new_master_host=db2"
            + " --new_master_ip=10.0.0.2 --new_master_port=3306 --new_master_user=mha --new_master_password=secret"
            + " --orig_master_ssh_user=root --new_master_ssh_user=admin --orig_master_is_new_slave",
        "mha-hook --cluster=main --command=stop --ssh_options=-o_ConnectTimeout=5 --unknown_later=x --verbose",
        "--config /etc/h.conf --stacktrace mha-hook --command=status --orig_master_ip=10.0.0.1",
        "mha-online-change --command=start --config /etc/h.conf --new_master_ip=10.0.0.2",
        // passwords that look like options are what they are after '=' (MhaHookProtocol)
        "mha-hook --command=start --orig_master_ip=10.0.0.1 --new_master_password=-hunter2 --orig_master_password=--command=stop"
            + " --new_master_user=-V --cluster=mha-hook --ssh_user=--verbose",
    })
    void readsMhasCallsAsPicocliDoes(String line) throws Exception {
        String[] args = line.split(" ");
        MhaCallParser.Call call = MhaCallParser.parse(args);

        assertThat(call).as("taken by the fast path").isNotNull();
        assertThat(parsed(call)).isEqualTo(parsedByPicocli(args));
    }

    /** Every option picocli knows for the hooks is known here too: a new one must not end up unmatched. */
    @Test
    void knowsEveryOptionOfTheHooks() throws Exception {
        for (Field field : MhaArguments.class.getDeclaredFields()) {
            CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
            if (option == null) {
                continue;
            }
            String name = option.names()[0];
            String arg = field.getType() == boolean.class ? name
                    : name + "=" + (field.getType() == Integer.class ? "3310" : "value-of-" + name.substring(2));
            List<String> args = new ArrayList<>(List.of("mha-hook", arg));
            if (!name.equals("--command")) {
                args.add("--command=status");
            }
            MhaCallParser.Call call = MhaCallParser.parse(args.toArray(String[]::new));

            assertThat(call).as(arg).isNotNull();
            assertThat(call.hook().unmatched).as(arg).isEmpty();
            assertThat(MhaCallParser.parse(new String[] {"--config=" + name, "mha-hook", "--command=status"})).as(name).isNull();
            assertThat(parsed(call)).as(arg).isEqualTo(parsedByPicocli(args.toArray(String[]::new)));
        }
    }

    /** Help, other spellings and what picocli refuses: picocli's, with its messages and exit codes. */
    @ParameterizedTest
    @ValueSource(strings = {
        "mha-hook --help",
        "mha-hook -h --command=status",
        "mha-hook --command=status --version",
        "mha-hook --command status",
        "mha-hook --orig_master_ip=10.0.0.1",
        "mha-hook --command=status --command=stop",
        "mha-hook --command=status --orig_master_port=33o6",
        "mha-hook --command=status --orig_master_port=+3306",
        "mha-hook --command=status --orig_master_port=99999999999",
        "mha-hook --command=status --orig_master_host=",
        "mha-hook --command=status stray",
        "mha-hook --command=status --orig_master_is_new_slave=true",
        "mha-hook --command=status --config --verbose",
        "mha-hook --command=status --config",
        "--config=/a mha-hook --command=status --config=/b",
        "mha-hook --command=status --verbose --verbose",
        "mha-hook --command=status --help=x",
        "status --json",
        "--verbose",
        "",
    })
    void leavesToPicocliWhatItIsNotSureOf(String line) {
        assertThat(MhaCallParser.parse(line.isEmpty() ? new String[0] : line.split(" "))).isNull();
    }

    /** What picocli refuses as a value even after '=' ("--", a command's name at the root), the fast path leaves to it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "mha-hook --command=status --cluster=--",
        "mha-hook --command=status --new_master_password=--",
        "--config=mha-hook mha-hook --command=status",
        "--config mha-online-change mha-online-change --command=status",
    })
    void leavesToPicocliValuesItRefuses(String line) {
        String[] args = line.split(" ");
        Handover handover = new Handover(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of(),
                BackendRegistry.discover());

        assertThat(MhaCallParser.parse(args)).isNull();
        assertThatThrownBy(() -> Handover.commandLine(handover, args).parseArgs(args))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    /**
     * A MySQL password like -hunter2 or --x=y, which MHA passes as --new_master_password=-hunter2, is
     * a password on picocli's path too (here taken for a value in the next word): it was a usage
     * error (exit 2), and MHA aborted every failover.
     */
    @Test
    void aPasswordThatLooksLikeAnOptionIsNoUsageError() {
        StringWriter output = new StringWriter();
        PrintWriter writer = new PrintWriter(output, true);
        for (String password : List.of("-hunter2", "-Vx", "--command=stop", "--verbose")) {
            String[] args = {"--config", "/nonexistent/handover.conf", "mha-hook", "--command=start", "--cluster", "main",
                "--new_master_password=" + password};
            assertThat(MhaCallParser.parse(args)).as("left to picocli: a value in the next word").isNull();

            assertThat(Handover.run(args, writer, writer, Map.of())).as(output.toString()).isEqualTo(ExitCode.CONFIG);
            assertThat(output.toString()).doesNotContain(password);
        }
    }

    private static Map<String, Object> parsed(MhaCallParser.Call call) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("config", call.configFile());
        values.put("verbose", call.verbose());
        values.put("stacktrace", call.stacktrace());
        values.put("hook", call.hook().getClass());
        values.putAll(fields(call.hook().args));
        values.put("unmatched", call.hook().unmatched);
        return values;
    }

    private static Map<String, Object> parsedByPicocli(String[] args) throws Exception {
        Handover handover = new Handover(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of(),
                BackendRegistry.discover());
        CommandLine.ParseResult result = Handover.commandLine(handover, args).parseArgs(args);
        MhaHookProtocol hook = (MhaHookProtocol) result.subcommand().commandSpec().userObject();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("config", root(handover, "configFile"));
        values.put("verbose", root(handover, "verbose"));
        values.put("stacktrace", root(handover, "stacktrace"));
        values.put("hook", hook.getClass());
        values.putAll(fields(hook.args));
        values.put("unmatched", hook.unmatched);
        return values;
    }

    private static Object root(Handover handover, String name) throws Exception {
        Field field = Handover.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(handover);
    }

    private static Map<String, Object> fields(MhaArguments args) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : MhaArguments.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                values.put(field.getName(), field.get(args));
            }
        }
        return values;
    }
}
