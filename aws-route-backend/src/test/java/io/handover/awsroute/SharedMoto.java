package io.handover.awsroute;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One moto server for the whole test run (started once, ~1 s, stopped when all tests are done).
 * Each test class builds its own VPC in it, so classes never see each other's route tables.
 */
final class SharedMoto implements ParameterResolver {

    private record Resource(Moto moto) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            moto.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Moto.sitePackages(); // skips, visibly, before anything is started
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedMoto.class));
        return store.getOrComputeIfAbsent("moto", key -> {
            try {
                return new Resource(Moto.start());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start moto: " + e.getMessage(), e);
            }
        }, Resource.class).moto();
    }
}
