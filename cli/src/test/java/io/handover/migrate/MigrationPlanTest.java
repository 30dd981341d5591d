package io.handover.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationPlanTest {

    private static final String VIP = "{ backend = \"vip\", address = \"198.51.100.50/24\", interface = \"eth0\", interfaces { db3 = \"eth1\" } }";
    private static final String CONSUL = "{ backend = \"consul\", service = \"main-master\" }";

    private static RedirectList redirects(String... entries) {
        return RedirectList.of(ConfigFactory.parseString("handover.clusters.main.redirect = [ " + String.join(", ", entries) + " ]"), "main");
    }

    /** The backends, in order, of the redirect list a plan's config gives, pasted as lines (it may end with a comment). */
    private static List<String> backendsOf(String config) {
        return RedirectList.of(ConfigFactory.parseString("handover.clusters.main {\n" + config + "\n}"), "main").backends();
    }

    @Test
    void aClusterWithTheOldRedirectAloneIsAtStageZeroAndTheDualRunAddsConsulSecond() {
        MigrationPlan.Plan plan = MigrationPlan.of("main", redirects(VIP), true, "consul");

        assertThat(plan.stage()).isZero();
        assertThat(backendsOf(plan.config())).containsExactly("vip", "consul");
        assertThat(plan.config()).contains("secondary-failure = \"proceed\"", "service = \"main-master\"");
        assertThat(plan.check()).isEqualTo("handover register --cluster main && handover migrate check --cluster main");
        // what the redirect list alone does not say: without them config check refuses, or register waits out its deadline
        assertThat(plan.next()).contains("set lock.backend", "give handover.backends.consul your servers' addresses and dns");
        // the old entry is printed whole: the next stage's config is the user's own plus consul
        assertThat(ConfigFactory.parseString("handover.clusters.main {\n" + plan.config() + "\n}")
                .getConfigList("handover.clusters.main.redirect").get(0).getString("interfaces.db3")).isEqualTo("eth1");
    }

    @Test
    void aDualRunWhoseRedirectsDisagreeIsAtStageOneAndRegisterComesNext() {
        MigrationPlan.Plan plan = MigrationPlan.of("main", redirects(VIP, CONSUL), false, "consul");

        assertThat(plan.stage()).isEqualTo(1);
        assertThat(plan.config()).isNull();
        assertThat(plan.check()).startsWith("handover register --cluster main");
        assertThat(plan.warnings()).singleElement().asString().contains("migrate check fails");
        assertThat(backendsOf(plan.rollback().substring(plan.rollback().indexOf("redirect =")))).containsExactly("vip");
    }

    @Test
    void anAgreeingDualRunIsAtStageTwoAndTheCutOverPutsConsulFirst() {
        MigrationPlan.Plan plan = MigrationPlan.of("main", redirects(VIP, CONSUL), true, "consul");

        assertThat(plan.stage()).isEqualTo(2);
        assertThat(backendsOf(plan.config())).containsExactly("consul", "vip");
        assertThat(plan.check()).isEqualTo("handover migrate check --cluster main");
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void consulFirstIsTheCutOverAndDrainThenRetireOfTheOldBackendComesNext() {
        MigrationPlan.Plan plan = MigrationPlan.of("main", redirects(CONSUL, VIP), true, "consul");

        assertThat(plan.stage()).isEqualTo(3);
        assertThat(plan.next()).contains("handover migrate retire --cluster main --backend vip");
        assertThat(plan.check()).isEqualTo("handover migrate clients --cluster main");
        assertThat(backendsOf(plan.config())).containsExactly("consul");
        assertThat(backendsOf(plan.rollback().substring(plan.rollback().indexOf("redirect =")))).containsExactly("vip", "consul");
    }

    @Test
    void everyEntryIsPrintedInTheDocumentationsStyleBackendFirst() {
        MigrationPlan.Plan plan = MigrationPlan.of("main", redirects(VIP), true, "consul");

        // the user's entry and the one the plan adds look alike, and as docs/MIGRATION.md writes them
        assertThat(plan.config()).startsWith("redirect = [\n  " + VIP + "\n  " + CONSUL + "\n]\n");
    }

    @Test
    void valuesThatNeedQuotesOrAreNoStringsRoundTrip() {
        String odd = "{ backend = \"aws-route\", destination = \"a \\\"b\\\" # c\", route-tables = [\"rtb-1\", \"rtb-2\"],"
                + " \"odd.key\" = 3, flag = true, network-interfaces { db1 = \"eni-1\" } }";
        String printed = redirects(odd).entries().get(0);

        assertThat(printed).isEqualTo("{ backend = \"aws-route\", destination = \"a \\\"b\\\" # c\", flag = true,"
                + " network-interfaces { db1 = \"eni-1\" }, \"odd.key\" = 3, route-tables = [\"rtb-1\", \"rtb-2\"] }");
        assertThat(redirects(printed)).isEqualTo(redirects(odd));
    }

    @Test
    void theCutOversNextConfigSaysThatSecondaryFailureMayGoWithTheOldRedirect() {
        MigrationPlan.Plan plan = MigrationPlan.of("main", redirects(CONSUL, VIP), true, "consul");

        assertThat(plan.config()).isEqualTo("redirect = [\n  " + CONSUL + "\n]\n"
                + "# secondary-failure may go too: with one redirect there is no secondary");
        // a comment: the edit still pastes whole into the cluster's block
        assertThat(backendsOf(plan.config())).containsExactly("consul");
    }

    @Test
    void retiresEditSaysThatSecondaryFailureMayGoWhenOneRedirectIsLeft() {
        assertThat(Retirement.configEdit("main", redirects(CONSUL, VIP), 1)).isEqualTo("in handover.clusters.main remove " + VIP + ":\n"
                + "redirect = [\n  " + CONSUL + "\n]\n# secondary-failure may go too: with one redirect there is no secondary");
        String aws = "{ backend = \"aws-route\", destination = \"198.18.200.10/32\" }";
        assertThat(Retirement.configEdit("main", redirects(CONSUL, VIP, aws), 1)).doesNotContain("secondary-failure");
    }

    @Test
    void consulAloneIsTheEndAndNeedsNoEdit() {
        MigrationPlan.Plan plan = MigrationPlan.of("main", redirects(CONSUL), true, "consul");

        assertThat(plan.stage()).isEqualTo(5);
        assertThat(plan.config()).isNull();
        assertThat(plan.check()).isNull();
    }

    @Test
    void thePrintedPlanMarksTheStagesReachedAndTheNextConfig() {
        String text = MigrationText.plan(MigrationPlan.of("main", redirects(VIP, CONSUL), true, "consul"));

        assertThat(text).contains("  [done] 1 dual run", "  [HERE] 2 agree", "  [    ] 3 cut over",
                "config of the next stage (handover.clusters.main):\n  redirect = [\n", "then check: handover migrate check --cluster main\n",
                "roll back: ");
    }
}
