package io.handover.consul;

import static io.handover.consul.TestBackends.DB1;
import static io.handover.consul.TestBackends.DB2;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestCatalogTransaction {

    @Test
    void activationSetsTheAgentlessNodeDeletesEveryOtherInstanceAndSetsTheService() {
        List<ServiceInstance> current = List.of(
                new ServiceInstance("db1", "main-master", "198.51.100.11", 3306, "198.51.100.11", true),
                new ServiceInstance("db2", "main-master", "198.51.100.12", 3306, "198.51.100.12", true),
                new ServiceInstance("db2", "main-master-by-hand", "198.51.100.12", 3306, "198.51.100.12", true));

        CatalogTransaction transaction = CatalogTransaction.activation("main-master", DB2, current, Map.of());

        assertThat(transaction.json()).isEqualTo("["
                + "{\"Node\":{\"Verb\":\"set\",\"Node\":{\"Node\":\"db2\",\"Address\":\"198.51.100.12\","
                + "\"Meta\":{\"external-node\":\"true\",\"external-probe\":\"false\"}}}},"
                + "{\"Service\":{\"Verb\":\"delete\",\"Node\":\"db1\",\"Service\":{\"ID\":\"main-master\",\"Service\":\"main-master\"}}},"
                + "{\"Service\":{\"Verb\":\"delete\",\"Node\":\"db2\",\"Service\":{\"ID\":\"main-master-by-hand\",\"Service\":\"main-master\"}}},"
                + "{\"Service\":{\"Verb\":\"set\",\"Node\":\"db2\",\"Service\":{\"ID\":\"main-master\",\"Service\":\"main-master\","
                + "\"Address\":\"198.51.100.12\",\"Port\":3306}}}]");
        assertThat(transaction.rules()).extracting(AclRule::policy).containsExactly(
                "node \"db2\" { policy = \"write\" }", "service \"main-master\" { policy = \"write\" }");
    }

    @Test
    void activationPublishesKeysBase64EncodedUnderOneKeyPrefixRule() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("mysql/master/main", "198.51.100.11:3306");
        keys.put("mysql/master/main/ipv6", "");

        CatalogTransaction transaction = CatalogTransaction.activation("main-master", DB1, List.of(), keys);

        assertThat(transaction.json()).endsWith(","
                + "{\"KV\":{\"Verb\":\"set\",\"Key\":\"mysql/master/main\",\"Value\":\"MTk4LjUxLjEwMC4xMTozMzA2\"}},"
                + "{\"KV\":{\"Verb\":\"set\",\"Key\":\"mysql/master/main/ipv6\",\"Value\":\"\"}}]");
        assertThat(transaction.rule(2)).isEqualTo(AclRule.keyPrefixWrite("mysql/master/main"));
        assertThat(transaction.rule(2).permission()).isEqualTo("key:write on \"mysql/master/main\" and the keys below it");
        assertThat(transaction.rule(2).policy()).isEqualTo("key_prefix \"mysql/master/main\" { policy = \"write\" }");
    }

    @Test
    void aTransactionUnderTheLockFirstChecksThatTheSessionStillHoldsTheLockKey() {
        CatalogTransaction transaction = CatalogTransaction.release("main-master",
                List.of(new ServiceInstance("db1", "main-master", "198.51.100.11", 3306, "198.51.100.11", true)))
                .onlyWhileHolding(new CatalogTransaction.LockCheck("handover/lock/main", "5e55-10n", "the failover lock of cluster main"));

        assertThat(transaction.json()).isEqualTo("["
                + "{\"KV\":{\"Verb\":\"check-session\",\"Key\":\"handover/lock/main\",\"Session\":\"5e55-10n\"}},"
                + "{\"Service\":{\"Verb\":\"delete\",\"Node\":\"db1\",\"Service\":{\"ID\":\"main-master\",\"Service\":\"main-master\"}}}]");
        assertThat(transaction.rule(0).policy()).isEqualTo("key \"handover/lock/main\" { policy = \"read\" }");
        assertThat(transaction.rule(1).permission()).isEqualTo("service:write on \"main-master\"");
        assertThat(transaction.lockCheckAt(0)).map(CatalogTransaction.LockCheck::session).contains("5e55-10n");
        assertThat(transaction.lockCheckAt(1)).isEmpty();
    }

    @Test
    void releaseDeletesByIdAndServiceNameBecauseConsulChecksTheName() {
        CatalogTransaction transaction = CatalogTransaction.release("main-master",
                List.of(new ServiceInstance("db1", "main-master", "198.51.100.11", 3306, "198.51.100.11", true)));

        assertThat(transaction.json()).isEqualTo(
                "[{\"Service\":{\"Verb\":\"delete\",\"Node\":\"db1\",\"Service\":{\"ID\":\"main-master\",\"Service\":\"main-master\"}}}]");
        assertThat(transaction.rule(0).permission()).isEqualTo("service:write on \"main-master\"");
    }
}
