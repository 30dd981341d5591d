package io.handover.api;

import java.util.Optional;

/**
 * SSH settings the caller passed, which win over the configuration: MHA already reaches every host
 * over SSH with them, and its operator debugs with the same {@code ssh}.
 *
 * @param user the login ({@code --ssh_user}), if given
 * @param options extra OpenSSH options ({@code --ssh_options}, such as {@code -i /root/.ssh/mha -p 2222}), if given
 */
public record SshOverrides(Optional<String> user, Optional<String> options) {

    public static final SshOverrides NONE = new SshOverrides(Optional.empty(), Optional.empty());
}
