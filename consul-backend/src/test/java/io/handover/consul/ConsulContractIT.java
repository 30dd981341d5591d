package io.handover.consul;

import io.handover.toolkit.contract.BoundRedirect;
import io.handover.api.Host;
import io.handover.api.Redirect;
import io.handover.toolkit.contract.RedirectContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract every redirect keeps, against a real 3-server Consul cluster; unreachable = a closed loopback port. */
@ExtendWith(SharedConsulCluster.class)
class ConsulContractIT extends RedirectContract {

    private static BoundRedirect redirect;
    private static BoundRedirect unreachable;

    @BeforeAll
    static void bind(ConsulTestCluster cluster) {
        redirect = TestBackends.create(cluster.backendConfig(), "contract-master");
        // port 1 on loopback: refused at once, so every attempt fails RETRYABLE until the deadline
        unreachable = TestBackends.create("handover.backends.consul { addresses = [\"http://127.0.0.1:1\"], dns = [\"127.0.0.1:1\"],"
                + " request-timeout = 500ms, dns-timeout = 200ms }", "contract-master");
    }

    @AfterAll
    static void close() {
        redirect.close();
        unreachable.close();
    }

    @Override
    protected Redirect redirect() {
        return redirect;
    }

    @Override
    protected Redirect unreachable() {
        return unreachable;
    }

    @Override
    protected Host first() {
        return TestBackends.DB1;
    }

    @Override
    protected Host second() {
        return TestBackends.DB2;
    }
}
