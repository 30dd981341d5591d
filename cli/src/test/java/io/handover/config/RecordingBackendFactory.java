package io.handover.config;

import io.handover.api.Backend;
import io.handover.api.BackendException;
import io.handover.api.BackendFactory;
import io.handover.api.BackendSettings;
import io.handover.api.Cluster;
import io.handover.api.Deadline;
import io.handover.api.Host;
import io.handover.api.Reachability;
import io.handover.api.Redirect;
import io.handover.api.RedirectContext;
import io.handover.api.RedirectState;
import io.handover.api.SshOverrides;
import io.handover.api.Targets;
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
public final class RecordingBackendFactory implements BackendFactory {

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
        CONFIGURED.clear();
        SSH.clear();
    }

    /** Every configure() call: the core must configure a backend once, however many clusters use it. */
    public static final List<String> CONFIGURED = Collections.synchronizedList(new ArrayList<>());
    /** The SSH settings each configure() was given: MHA's, when a hook passes them. */
    public static final List<SshOverrides> SSH = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Backend configure(BackendSettings settings) {
        settings.config().secret("token");
        settings.config().duration("timeout", java.time.Duration.ofSeconds(1));
        settings.config().rejectUnknownKeys();
        CONFIGURED.add(settings.config().path());
        SSH.add(settings.ssh());
        return new Backend() {
            @Override
            public Redirect bind(RedirectContext context) {
                String label = context.entry().string("label");
                String failOn = context.entry().string("fail-on", "");
                return label == null ? null : new RecordingBackend(label, failOn, context.cluster());
            }
        };
    }

    /**
     * A recording backend under another name ({@code consul}, {@code vip}) whose entries carry
     * {@code key} instead of {@code label}: for what the core reads from those backends' entries.
     */
    public static BackendFactory named(String name, String key) {
        return new BackendFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Backend configure(BackendSettings settings) {
                settings.config().rejectUnknownKeys();
                return context -> {
                    String label = context.entry().string(key);
                    return label == null ? null : new RecordingBackend(name + "-" + label, "", context.cluster());
                };
            }
        };
    }

    public static final class RecordingBackend implements Redirect {
        private final List<String> calls = CALLS;
        private final List<String> targets;
        private final String label;
        private final String failOn;
        private final Cluster cluster;

        RecordingBackend(String label, String failOn, Cluster cluster) {
            this.label = label;
            this.failOn = failOn;
            this.cluster = cluster;
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
            return new RedirectState(Targets.ofAddresses(cluster, List.copyOf(targets)), List.of());
        }

        @Override
        public String release(Host oldMaster, Reachability reachability, Deadline deadline) throws BackendException {
            calls.add(label + " release " + oldMaster.name() + (reachability == Reachability.UNREACHABLE ? " (unreachable)" : ""));
            maybeFail("release");
            targets.remove(oldMaster.address());
            // as a backend that can only reach a live host says what it left undone
            return reachability == Reachability.UNREACHABLE ? oldMaster.name() + " was not asked: it is down" : "";
        }

        @Override
        public String activate(Host newMaster, Deadline deadline) throws BackendException {
            calls.add(label + " activate " + newMaster.name());
            maybeFail("activate");
            List<String> replaced = targets.stream().filter(target -> !target.equals(newMaster.address())).toList();
            targets.clear();
            targets.add(newMaster.address());
            return replaced.isEmpty() ? "" : "replaced " + replaced;
        }

        @Override
        public Verification verify(Host newMaster, Deadline deadline) {
            calls.add(label + " verify " + newMaster.name());
            return new Verification(List.of(new Verification.Check("memory", targets.equals(List.of(newMaster.address())),
                    String.join(",", targets), java.time.Duration.ZERO)));
        }
    }
}
