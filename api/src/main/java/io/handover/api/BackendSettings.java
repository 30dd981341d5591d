package io.handover.api;

import java.util.Map;

/**
 * What a backend is configured from, once per process.
 *
 * @param config {@code handover.backends.<name>}; empty if the file has no such block
 * @param environment the process environment, for settings such as {@code CONSUL_HTTP_TOKEN}
 * @param ssh how the caller reaches hosts over SSH, when it says (MHA's {@code --ssh_user}, {@code --ssh_options})
 */
public record BackendSettings(ConfigReader config, Map<String, String> environment, SshOverrides ssh) {

    public BackendSettings {
        environment = Map.copyOf(environment);
    }
}
