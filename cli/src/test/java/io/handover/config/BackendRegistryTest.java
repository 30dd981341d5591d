package io.handover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.Backend;
import io.handover.api.BackendSettings;
import io.handover.api.BackendFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {

    @Test
    void serviceLoaderFindsBackendsOnTheClassPath() {
        BackendRegistry registry = BackendRegistry.discover();

        assertThat(registry.all()).containsKey("recording");
        assertThat(registry.get("recording")).isInstanceOf(RecordingBackendFactory.class);
    }

    @Test
    void twoBackendsWithOneNameAreRefused() {
        assertThatThrownBy(() -> BackendRegistry.discover(List.of(new RecordingBackendFactory(), new Impostor())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("two backends are named 'recording': io.handover.config.RecordingBackendFactory and "
                        + "io.handover.config.BackendRegistryTest$Impostor; remove one of their jars from lib/");
    }

    @Test
    void noBackendIsExplained() {
        assertThat(BackendRegistry.discover(List.of()).available())
                .isEqualTo("none: no backend jar is on the class path (lib/)");
    }

    static final class Impostor implements BackendFactory {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Backend configure(BackendSettings settings) {
            return null;
        }
    }
}
