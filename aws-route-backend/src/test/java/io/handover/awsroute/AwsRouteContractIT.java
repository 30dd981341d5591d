package io.handover.awsroute;

import io.handover.toolkit.contract.BoundRedirect;
import io.handover.api.Host;
import io.handover.api.Redirect;
import io.handover.toolkit.contract.RedirectContract;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every redirect keeps, against moto's EC2 API: a VPC with two route tables and three
 * interfaces (source/destination check off) for db1..db3; unreachable = a closed loopback port.
 */
@ExtendWith(SharedMoto.class)
class AwsRouteContractIT extends RedirectContract {

    private static MotoVpc vpc;
    private static BoundRedirect redirect;
    private static BoundRedirect unreachable;

    @BeforeAll
    static void bind(Moto moto) {
        vpc = MotoVpc.create(moto.endpoint(), 2, 3);
        String keys = vpc.redirectKeys(TestBackends.DESTINATION, vpc.routeTables);
        redirect = TestBackends.create(TestBackends.backendConfig(moto.endpoint()), keys);
        // port 1 on loopback: refused at once, so every attempt fails RETRYABLE until the deadline
        unreachable = TestBackends.create(TestBackends.backendConfig(URI.create("http://127.0.0.1:1")), keys);
    }

    @AfterAll
    static void close() {
        if (redirect != null) {
            redirect.close();
            unreachable.close();
            vpc.close();
        }
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
