package io.handover.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The shell-script baseline of the MHA benchmarks: {@code sandbox/bench/consul-hook}, the same Consul
 * work as handover's hooks done with curl, dig and the mariadb client, set up for this lab.
 */
public final class ShellHook {

    private ShellHook() {}

    /** MHA's two hook lines (as {@code sandbox/sandbox} takes them), both the shell script, its settings written into {@code dir}. */
    public static Map<String, String> hooks(Path dir) throws IOException {
        Path settings = dir.resolve("consul-hook.env");
        Files.writeString(settings, String.join("\n",
                "CONSUL=\"" + eachOf("c", "http://%2$s:8500") + "\"",
                "DNS=\"" + eachOf("c", "%2$s:8600") + "\"",
                "SERVICE=sandbox-master",
                "NODES=\"" + eachOf("db", "%1$s=%2$s") + "\"",
                ""));
        String line = Sandbox.root().resolve("sandbox/bench/consul-hook") + " " + settings;
        return Map.of("HANDOVER_MHA_FAILOVER_SCRIPT", line, "HANDOVER_MHA_ONLINE_CHANGE_SCRIPT", line);
    }

    /** {@code format} of each of the lab's hosts {@code kind}1..3 ({@code %1$s} its name, {@code %2$s} its address), space-separated. */
    private static String eachOf(String kind, String format) {
        return String.join(" ", IntStream.rangeClosed(1, 3)
                .mapToObj(n -> String.format(format, kind + n, Sandbox.address(kind + n))).toList());
    }
}
