package io.handover.consul;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes that leave the cluster intact one 3-server cluster for the whole run
 * (started once, ~2 s, stopped when all tests are done). Tests that kill servers or need ACLs
 * start their own. Each test uses its own service name, so tests do not see each other's writes.
 */
final class SharedConsulCluster implements ParameterResolver {

    private record Resource(ConsulTestCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ConsulTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedConsulCluster.class));
        return store.getOrComputeIfAbsent("cluster", key -> {
            try {
                return new Resource(ConsulTestCluster.start(ConsulTestSetup.plain("shared")));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the shared Consul cluster: " + e.getMessage(), e);
            }
        }, Resource.class).cluster();
    }
}
