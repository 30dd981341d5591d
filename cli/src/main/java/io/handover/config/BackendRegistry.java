package io.handover.config;

import io.handover.api.FailoverBackendFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The backends on the class path, found by {@link ServiceLoader}. The one place that discovers
 * them: a duplicate name is a packaging error and stops everything, since which of two
 * backends would move clients must never depend on class path order.
 */
public final class BackendRegistry {

    private final Map<String, FailoverBackendFactory> factories;

    private BackendRegistry(Map<String, FailoverBackendFactory> factories) {
        this.factories = factories;
    }

    public static BackendRegistry discover() {
        return discover(ServiceLoader.load(FailoverBackendFactory.class));
    }

    public static BackendRegistry discover(Iterable<FailoverBackendFactory> found) {
        Map<String, FailoverBackendFactory> factories = new TreeMap<>();
        for (FailoverBackendFactory factory : found) {
            FailoverBackendFactory other = factories.putIfAbsent(factory.name(), factory);
            if (other != null) {
                throw new IllegalStateException("two backends are named '" + factory.name() + "': "
                        + other.getClass().getName() + " and " + factory.getClass().getName()
                        + "; remove one of their jars from lib/");
            }
        }
        return new BackendRegistry(factories);
    }

    public FailoverBackendFactory get(String name) {
        return factories.get(name);
    }

    public Map<String, FailoverBackendFactory> all() {
        return factories;
    }

    /** {@code consul, vip}, or a sentence saying that there are none. */
    public String available() {
        return factories.isEmpty()
                ? "none: no backend jar is on the class path (lib/)"
                : String.join(", ", factories.keySet());
    }
}
