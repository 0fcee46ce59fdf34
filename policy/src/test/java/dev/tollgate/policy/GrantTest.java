package dev.tollgate.policy;

import static dev.tollgate.policy.Action.READ;
import static dev.tollgate.policy.Action.WRITE;
import static dev.tollgate.policy.ShopPolicy.CORP;
import static dev.tollgate.policy.ShopPolicy.ISSUERS;
import static dev.tollgate.policy.Signal.LOGS;
import static dev.tollgate.policy.Signal.TRACES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrantTest {
  private static final Policy SHOP = ShopPolicy.load();

  @Test
  void defaultDenyNamesTheRolesAndTheirPatterns() {
    Decision d = SHOP.grant(ShopPolicy.ALICE, WRITE, "shop-prod", TRACES).decide("payments");

    assertThat(d).isEqualTo(Decision.deny("default-deny",
        "service \"payments\" is not in roles shop-writer (shop-*, checkout)", SHOP.version()));
  }

  @Test
  void denyRuleNamesItselfAndItsPatterns() {
    Decision d = SHOP.grant(ShopPolicy.COLLECTOR, WRITE, "shop-prod", TRACES).decide("debug-x");

    assertThat(d.reason()).isEqualTo("denied by role no-debug rules[0] (debug-*, *-canary)");
  }

  @Test
  void missingServiceNameIsDeniedEvenWhenEverythingIsAllowed() {
    Grant g = SHOP.grant(ShopPolicy.BOB, READ, "shop-prod", TRACES);

    assertThat(g.decide("anything").allowed()).isTrue();
    assertThat(g.decide(null)).isEqualTo(
        Decision.deny("default-deny", "resource has no service.name", SHOP.version()));
  }

  @Test
  void callerWithoutRolesIsRefusedBeforeScanning() {
    Grant g = SHOP.grant(ShopPolicy.CI, WRITE, "shop-prod", TRACES);

    assertThat(g.allowsAny()).isFalse();
    assertThat(g.overall()).isEqualTo(Decision.deny("default-deny",
        "no role of client \"ci-runner\" from issuer corp grants write on project \"shop-prod\" signal traces",
        SHOP.version()));
    assertThat(g.decide("ci-1")).isEqualTo(g.overall());
  }

  @Test
  void overallAllowNamesTheFirstAllowingRule() {
    Grant g = SHOP.grant(ShopPolicy.COLLECTOR, WRITE, "shop-prod", LOGS);

    assertThat(g.allowsAny()).isTrue();
    assertThat(g.overall()).isEqualTo(Decision.allow("role shop-writer rules[0]",
        "roles shop-writer (shop-*, checkout) grant write on project \"shop-prod\" signal logs",
        SHOP.version()));
  }

  @Test
  void denyOfEverythingWinsOverEveryAllow() {
    Policy p = policy("""
        roles:
          - {name: writer, rules: [{actions: write, projects: [p], services: [exact, "*"]}]}
          - {name: frozen, rules: [{actions: write, projects: ["*"], services: ["*"], effect: deny}]}
        bindings:
          - {role: writer, users: [u]}
          - {role: frozen, groups: [suspended]}
        """);
    Grant g = p.grant(Identity.user(CORP, "u", "suspended"), WRITE, "p", TRACES);

    assertThat(g.allowsAny()).isFalse();
    assertThat(g.decide("exact").rule()).isEqualTo("role frozen rules[0]");
    assertThat(g.overall().rule()).isEqualTo("role frozen rules[0]");
    assertThat(p.grant(Identity.user(CORP, "u"), WRITE, "p", TRACES).decide("exact").allowed()).isTrue();
  }

  @Test
  void denyWinsEvenWhenItsRoleComesAfterTheAllow() {
    Policy p = policy("""
        roles:
          - {name: a, rules: [{actions: write, projects: [p], services: [debug-api]}]}
          - {name: b, rules: [{actions: write, projects: [p], services: ["debug-*"], effect: deny}]}
        bindings:
          - {role: a, users: [u]}
          - {role: b, users: [u]}
        """);

    Decision d = p.grant(Identity.user(CORP, "u"), WRITE, "p", TRACES).decide("debug-api");
    assertThat(d.allowed()).isFalse();
    assertThat(d.rule()).isEqualTo("role b rules[0]");
  }

  @Test
  void scopeListsAllowedAndDeniedPatterns() {
    ServiceScope scope = SHOP.grant(ShopPolicy.COLLECTOR, WRITE, "shop-prod", TRACES).scope();

    assertThat(scope.allowedPatterns()).containsExactly("shop-*", "checkout");
    assertThat(scope.deniedPatterns()).containsExactly("debug-*", "*-canary");
    assertThat(scope.permits("shop-cart")).isTrue();
    assertThat(scope.permits("shop-canary")).isFalse();
    assertThat(scope.permits(null)).isFalse();
    assertThat(scope.permitsEverything()).isFalse();
    assertThat(SHOP.grant(ShopPolicy.NODE_AGENT, WRITE, "x", Signal.METRICS).scope().permitsEverything())
        .isTrue();
  }

  @Test
  void allowsReturnOneSharedDecisionWithoutAllocating() {
    Grant g = SHOP.grant(ShopPolicy.COLLECTOR, WRITE, "shop-prod", TRACES);
    assertThat(g.decide("shop-a")).isSameAs(g.decide("checkout"));
    assertThat(g.decide("debug-a")).isSameAs(g.decide("x-canary"));

    com.sun.management.ThreadMXBean threads = hotspotThreads();
    long tid = Thread.currentThread().getId();
    boolean allowed = true;
    for (int i = 0; i < 20_000; i++) { // warm up, so JIT compilation is not measured
      allowed &= g.decide("shop-cart").allowed() & !g.decide("debug-x").allowed();
    }
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100_000; i++) {
      allowed &= g.decide("shop-cart").allowed() & !g.decide("debug-x").allowed();
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;

    assertThat(allowed).isTrue();
    assertThat(allocated).as("bytes allocated by 200k decisions").isLessThan(16 * 1024);
  }

  private static com.sun.management.ThreadMXBean hotspotThreads() {
    assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
    return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  }

  private static Policy policy(String yaml) {
    return Policy.parse(Map.of("policy.yaml", yaml), Set.of("p"), ISSUERS);
  }
}
