package io.handover.config;

import io.handover.api.BackendContext;
import io.handover.api.Deadline;
import io.handover.api.FailoverBackend;
import io.handover.api.FailoverBackendFactory;
import io.handover.api.Host;
import io.handover.api.RedirectState;
import io.handover.api.Verification;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written backend for unit tests of the core (config, discovery, CLI): it records calls
 * and keeps its "target" in memory. Backends themselves are tested against the real systems.
 */
public final class RecordingBackendFactory implements FailoverBackendFactory {

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public FailoverBackend create(BackendContext context) {
        String label = context.redirectConfig().string("label");
        context.backendConfig().secret("token");
        context.backendConfig().duration("timeout", java.time.Duration.ofSeconds(1));
        context.backendConfig().rejectUnknownKeys();
        return label == null ? null : new RecordingBackend(label);
    }

    public static final class RecordingBackend implements FailoverBackend {
        public final List<String> calls = new ArrayList<>();
        public final List<String> targets = new ArrayList<>();
        private final String label;

        RecordingBackend(String label) {
            this.label = label;
        }

        @Override
        public String describe() {
            return "recording " + label;
        }

        @Override
        public RedirectState current(Deadline deadline) {
            return new RedirectState(targets, List.of());
        }

        @Override
        public void release(Host oldMaster, Deadline deadline) {
            calls.add("release " + oldMaster.name());
            targets.remove(oldMaster.address());
        }

        @Override
        public void activate(Host newMaster, Deadline deadline) {
            calls.add("activate " + newMaster.name());
            targets.clear();
            targets.add(newMaster.address());
        }

        @Override
        public Verification verify(Host newMaster, Deadline deadline) {
            calls.add("verify " + newMaster.name());
            return new Verification(List.of(new Verification.Check("memory", targets.equals(List.of(newMaster.address())),
                    String.join(",", targets), java.time.Duration.ZERO)));
        }
    }
}
