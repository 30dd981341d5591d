package io.handover.vip;

import com.google.inject.Guice;
import com.google.inject.Stage;
import io.handover.api.Backend;
import io.handover.api.BackendFactory;
import io.handover.api.BackendSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code vip} backend: clients connect to a virtual IP, which handover moves to the new master
 * over SSH ({@code ip addr}, {@code arping}). Reads {@code handover.backends.vip} once per process;
 * MHA's {@code --ssh_user} and {@code --ssh_options} win over it. Touches no host here.
 */
public final class VipBackendFactory implements BackendFactory {

    @Override
    public String name() {
        return "vip";
    }

    @Override
    public String description() {
        return "moves a virtual IP to the master over ssh (ip addr del/add, duplicate address detection, gratuitous ARP)";
    }

    @Override
    public Backend configure(BackendSettings settings) {
        VipConfig config = VipConfig.read(settings.config());
        return Guice.createInjector(Stage.PRODUCTION, new VipModule(config, settings.ssh())).getInstance(VipBackend.class);
    }

    /** Every key of {@code handover.backends.vip} and of a redirect entry, with its default and a comment. */
    @Override
    public String configHelp() {
        try (InputStream in = VipBackendFactory.class.getResourceAsStream("vip-backend.conf")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
