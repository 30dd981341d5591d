package io.handover.vip;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.handover.api.Backend;
import io.handover.api.BackendFactory;
import io.handover.api.BackendSettings;
import io.handover.api.ConfigReader;
import io.handover.api.RedirectContext;
import io.handover.api.ServerIdentity;
import io.handover.api.SshOverrides;
import io.handover.toolkit.HoconConfigReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestVipBackendFactory {

    private static final ServerIdentity NO_MYSQL = (address, port, deadline) -> {
        throw new AssertionError("asked MySQL at " + address + ":" + port + " while only configuring");
    };

    @Test
    void theFactoryIsFoundByServiceLoaderAsVip() {
        assertThat(ServiceLoader.load(BackendFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(factory -> {
                    assertThat(factory.name()).isEqualTo("vip");
                    assertThat(factory).isInstanceOf(VipBackendFactory.class);
                    assertThat(factory.description()).startsWith("moves a virtual IP to the master over ssh");
                });
    }

    /** The documented example cannot drift from the code: read as configuration, it is the defaults. */
    @Test
    void theConfigHelpIsAValidConfigurationWithTheDefaults(@TempDir Path directory) {
        String help = new VipBackendFactory().configHelp();
        ConfigFixture.Loaded documented = ConfigFixture.loadText(directory,
                help + "\nhandover.clusters.main.redirect = [{ backend = vip, address = \"198.51.100.50/24\", interface = eth0 }]\n");

        assertThat(documented.problems()).isEmpty();
        assertThat(documented.config()).isEqualTo(VipConfig.DEFAULTS);
        for (String key : new String[] {"user", "port", "config-file", "connect-timeout", "garp-count", "address", "interface", "interfaces"}) {
            assertThat(help).as(key).containsPattern("(?m)^\\s*#?\\s*" + key + "( =|:| \\()");
        }
    }

    @Test
    void configuringAndBindingTouchNoHost() {
        // an address nothing answers at, and no ssh call may happen: bind() only reads
        String text = "vip { ssh { user = nobody, connect-timeout = 1s } }\n"
                + "redirect { backend = vip, address = \"198.51.100.50/24\", interface = eth0 }";
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseString(text));
        ConfigReader redirect = root.object("redirect");
        redirect.string("backend");

        try (Backend backend = new VipBackendFactory().configure(new BackendSettings(root.object("vip"), Map.of(),
                new SshOverrides(java.util.Optional.of("mha"), java.util.Optional.of("-p 2222"))))) {
            assertThat(backend.bind(new RedirectContext(ConfigFixture.MAIN, redirect, NO_MYSQL)).describe())
                    .isEqualTo("vip 198.51.100.50 on eth0");
            redirect.rejectUnknownKeys();
            assertThat(root.problems()).isEmpty();
            assertThat(backend.lock(ConfigFixture.MAIN)).isEmpty();
        }
    }

    @Test
    void twoVipRedirectsOfOneClusterWithTheSameAddressAreRefused() {
        String text = "vip { ssh { connect-timeout = 1s } }\n"
                + "redirect = [{ backend = vip, address = \"198.51.100.50/24\", interface = eth0 },"
                + " { backend = vip, address = \"198.51.100.50/16\", interface = eth1 }]";
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseString(text));
        try (Backend backend = new VipBackendFactory().configure(new BackendSettings(root.object("vip"), Map.of(), SshOverrides.NONE))) {
            for (ConfigReader redirect : root.objectList("redirect")) {
                redirect.string("backend");
                backend.bind(new RedirectContext(ConfigFixture.MAIN, redirect, NO_MYSQL));
                redirect.rejectUnknownKeys();
            }
            // the same entry bound again is no second redirect
            backend.bind(new RedirectContext(ConfigFixture.MAIN, root.objectList("redirect").get(0), NO_MYSQL));
        }
        assertThat(root.problems()).singleElement().asString().contains("VIP 198.51.100.50 is also the address of another vip redirect"
                + " of cluster main (").contains("give it once");
    }
}
