package io.handover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.handover.api.BackendContext;
import io.handover.api.FailoverBackend;
import io.handover.api.FailoverBackendFactory;
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

    static final class Impostor implements FailoverBackendFactory {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public FailoverBackend create(BackendContext context) {
            return null;
        }
    }
}
