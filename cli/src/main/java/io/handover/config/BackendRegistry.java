package io.handover.config;

import io.handover.api.BackendFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The backends on the class path, found by {@link ServiceLoader}. The one place that discovers
 * them: a duplicate name is a packaging error and stops everything, since which of two
 * backends would move clients must never depend on class path order.
 */
public final class BackendRegistry {

    private final Map<String, BackendFactory> factories;

    private BackendRegistry(Map<String, BackendFactory> factories) {
        this.factories = factories;
    }

    public static BackendRegistry discover() {
        return discover(ServiceLoader.load(BackendFactory.class));
    }

    public static BackendRegistry discover(Iterable<BackendFactory> found) {
        Map<String, BackendFactory> factories = new TreeMap<>();
        for (BackendFactory factory : found) {
            BackendFactory other = factories.putIfAbsent(factory.name(), factory);
            if (other != null) {
                throw new IllegalStateException("two backends are named '" + factory.name() + "': "
                        + other.getClass().getName() + " and " + factory.getClass().getName()
                        + "; remove one of their jars from lib/");
            }
        }
        return new BackendRegistry(factories);
    }

    public BackendFactory get(String name) {
        return factories.get(name);
    }

    public Map<String, BackendFactory> all() {
        return factories;
    }

    /** {@code consul, vip}, or a sentence saying that there are none. */
    public String available() {
        return factories.isEmpty()
                ? "none: no backend jar is on the class path (lib/)"
                : String.join(", ", factories.keySet());
    }
}
