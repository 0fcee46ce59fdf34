package dev.tollgate.policy;

import static dev.tollgate.policy.Action.READ;
import static dev.tollgate.policy.Action.WRITE;
import static dev.tollgate.policy.ShopPolicy.CORP;
import static dev.tollgate.policy.ShopPolicy.ISSUERS;
import static dev.tollgate.policy.Signal.METRICS;
import static dev.tollgate.policy.Signal.TRACES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The example under src/test/resources/examples loads and means what its comments say. */
class ExamplePolicyTest {
  private static final Set<String> PROJECTS = Set.of("shop-prod", "shop-staging", "payments-prod");

  private static Policy load() throws Exception {
    Path file = Path.of(ExamplePolicyTest.class.getResource("/examples/shop-policy.yaml").toURI());
    return Policy.load(List.of(file), PROJECTS, ISSUERS);
  }

  @Test
  void collectorsWriteShopServicesOnly() throws Exception {
    Grant g = load().grant(Identity.client(CORP, "shop-collector-eu"), WRITE, "shop-prod", TRACES);

    assertThat(g.decide("shop-frontend").allowed()).isTrue();
    assertThat(g.decide("cart").allowed()).isTrue();
    assertThat(g.decide("payments-api").reason())
        .isEqualTo("service \"payments-api\" is not in roles shop-ingest (shop-*, checkout, cart)");
  }

  @Test
  void developersNeverReadPaymentsEvenInStaging() throws Exception {
    Identity dev = Identity.user(CORP, "dana", "shop-devs");
    Grant staging = load().grant(dev, READ, "shop-staging", METRICS);

    assertThat(staging.decide("inventory").allowed()).isTrue();
    assertThat(staging.decide("payments-api").rule()).isEqualTo("role payments-guard rules[0]");
    assertThat(staging.decide("ledger-pci").allowed()).isFalse();
    assertThat(load().grant(dev, READ, "shop-prod", METRICS).allowsAny()).isFalse();
  }

  @Test
  void ciWritesIntegrationTraces() throws Exception {
    Identity ci = Identity.user(CORP, "repo:acme/shop:ref:refs/heads/main");
    Grant g = load().grant(ci, WRITE, "shop-staging", TRACES);

    assertThat(g.decide("shop-cart.it").allowed()).isTrue();
    assertThat(g.decide("shop-cart").allowed()).isFalse();
    assertThat(load().grant(ci, WRITE, "shop-prod", TRACES).overall().reason()).isEqualTo(
        "no role of user \"repo:acme/shop:ref:refs/heads/main\" from issuer corp grants write on project"
            + " \"shop-prod\" signal traces");
  }

  @Test
  void nodeAgentsWriteHostMetricsEverywhere() throws Exception {
    Grant g = load().grant(Identity.client(CORP, "node-agent"), WRITE, "payments-prod", METRICS);

    assertThat(g.decide("kubelet-1").allowed()).isTrue();
    assertThat(g.decide("kubelet-10").allowed()).isFalse();
  }
}
