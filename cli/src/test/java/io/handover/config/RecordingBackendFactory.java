package io.handover.config;

import io.handover.api.BackendContext;
import io.handover.api.BackendException;
import io.handover.api.Deadline;
import io.handover.api.FailoverBackend;
import io.handover.api.FailoverBackendFactory;
import io.handover.api.Host;
import io.handover.api.RedirectState;
import io.handover.api.Verification;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written backend for unit tests of the core (config, discovery, CLI): it records calls
 * and keeps its "target" in memory. Backends themselves are tested against the real systems.
 */
public final class RecordingBackendFactory implements FailoverBackendFactory {

    @Override
    public String name() {
        return "recording";
    }

    /** Targets by label: they outlive one command line, like a real backend's state does. */
    public static final Map<String, List<String>> TARGETS = new ConcurrentHashMap<>();
    /** Every call of every instance, in order. */
    public static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());

    public static void reset() {
        TARGETS.clear();
        CALLS.clear();
    }

    @Override
    public FailoverBackend create(BackendContext context) {
        String label = context.redirectConfig().string("label");
        String failOn = context.redirectConfig().string("fail-on", "");
        context.backendConfig().secret("token");
        context.backendConfig().duration("timeout", java.time.Duration.ofSeconds(1));
        context.backendConfig().rejectUnknownKeys();
        return label == null ? null : new RecordingBackend(label, failOn);
    }

    public static final class RecordingBackend implements FailoverBackend {
        private final List<String> calls = CALLS;
        private final List<String> targets;
        private final String label;
        private final String failOn;

        RecordingBackend(String label, String failOn) {
            this.label = label;
            this.failOn = failOn;
            this.targets = TARGETS.computeIfAbsent(label, key -> Collections.synchronizedList(new ArrayList<>()));
        }

        private void maybeFail(String operation) throws BackendException {
            if (failOn.equals(operation)) {
                throw BackendException.retryable(label + " refused " + operation, null);
            }
        }

        @Override
        public String describe() {
            return "recording " + label;
        }

        @Override
        public RedirectState current(Deadline deadline) throws BackendException {
            maybeFail("current");
            return new RedirectState(targets, List.of());
        }

        @Override
        public void release(Host oldMaster, Deadline deadline) throws BackendException {
            calls.add(label + " release " + oldMaster.name());
            maybeFail("release");
            targets.remove(oldMaster.address());
        }

        @Override
        public void activate(Host newMaster, Deadline deadline) throws BackendException {
            calls.add(label + " activate " + newMaster.name());
            maybeFail("activate");
            targets.clear();
            targets.add(newMaster.address());
        }

        @Override
        public Verification verify(Host newMaster, Deadline deadline) {
            calls.add(label + " verify " + newMaster.name());
            return new Verification(List.of(new Verification.Check("memory", targets.equals(List.of(newMaster.address())),
                    String.join(",", targets), java.time.Duration.ZERO)));
        }
    }
}
