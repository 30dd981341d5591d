package io.handover.consul;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.handover.api.Backend;
import io.handover.api.BackendFactory;
import io.handover.api.BackendSettings;
import io.handover.api.RedirectContext;
import io.handover.api.SshOverrides;
import io.handover.api.ConfigReader;
import io.handover.toolkit.HoconConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConsulBackendFactory {

    @Test
    void theFactoryIsFoundByServiceLoaderAsConsul() {
        assertThat(ServiceLoader.load(BackendFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(factory -> {
                    assertThat(factory.name()).isEqualTo("consul");
                    assertThat(factory).isInstanceOf(ConsulBackendFactory.class);
                });
    }

    /** The documented example cannot drift from the code: read as configuration, it is the defaults. */
    @Test
    void theConfigHelpIsAValidConfigurationWithTheDefaults(@TempDir Path directory) throws Exception {
        String help = new ConsulBackendFactory().configHelp();
        ConfigFixture.Loaded documented = ConfigFixture.loadText(directory,
                help + "\nhandover.clusters.main.redirect = [{ backend = consul, service = main-master }]\n", Map.of());
        ConfigFixture.Loaded defaults = ConfigFixture.load(directory, "", "service = main-master", Map.of());

        assertThat(documented.problems()).isEmpty();
        assertThat(documented.config()).isEqualTo(defaults.config());
        for (String key : new String[] {"addresses", "dns", "dns-tcp", "dns-domain", "dns-timeout", "request-timeout", "datacenter",
                "token", "token-file", "ca-file", "cert-file", "key-file", "enabled", "prefix", "ttl", "node", "service", "kv-name"}) {
            assertThat(help).as(key).containsPattern("(?m)^\\s*#?\\s*" + key + "( =|:| \\()");
        }
    }

    @Test
    void createDoesNoIoEvenWithAnUnreachableServerOrMissingFiles() {
        String text = "consul { addresses = [\"http://192.0.2.254:1\"], tls.ca-file = \"/nonexistent/ca.pem\" }\n"
                + "redirect { backend = consul, service = main-master }";
        HoconConfigReader root = HoconConfigReader.of(ConfigFactory.parseString(text));
        ConfigReader redirect = root.object("redirect");
        redirect.string("backend");

        try (Backend backend = new ConsulBackendFactory().configure(new BackendSettings(root.object("consul"), Map.of(), SshOverrides.NONE))) {
            assertThat(backend.bind(new RedirectContext(TestBackends.MAIN, redirect, TestBackends.NO_MYSQL)).describe())
                    .isEqualTo("consul service main-master");
            assertThat(root.problems()).extracting(Object::toString)
                    .containsExactly("consul.tls.ca-file: cannot read '/nonexistent/ca.pem'");
        }
    }

    @Test
    void theHelpFileIsPackaged() throws Exception {
        assertThat(Files.exists(ConfigFixture.resource("io/handover/consul/consul-backend.conf"))).isTrue();
    }
}
