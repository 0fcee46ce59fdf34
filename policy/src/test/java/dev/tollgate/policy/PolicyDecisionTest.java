package dev.tollgate.policy;

import static dev.tollgate.policy.Action.READ;
import static dev.tollgate.policy.Action.WRITE;
import static dev.tollgate.policy.ShopPolicy.ALICE;
import static dev.tollgate.policy.ShopPolicy.BOB;
import static dev.tollgate.policy.ShopPolicy.CI;
import static dev.tollgate.policy.ShopPolicy.COLLECTOR;
import static dev.tollgate.policy.ShopPolicy.CORP;
import static dev.tollgate.policy.ShopPolicy.NOBODY;
import static dev.tollgate.policy.ShopPolicy.NODE_AGENT;
import static dev.tollgate.policy.Signal.LOGS;
import static dev.tollgate.policy.Signal.METRICS;
import static dev.tollgate.policy.Signal.TRACES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may do what, one row a case, against {@link ShopPolicy}. */
class PolicyDecisionTest {
  private static final Policy POLICY = ShopPolicy.load();
  private static final String WRITER = "role shop-writer rules[0]";
  private static final String READER = "role shop-reader rules[0]";
  private static final String NO_DEBUG = "role no-debug rules[0]";
  private static final String PLATFORM = "role platform rules[0]";
  private static final String CI_RULE = "role ci rules[0]";
  private static final String DEFAULT = Decision.DEFAULT_DENY;

  static Stream<Arguments> decisions() {
    return Stream.of(
        row("user binding, prefix pattern", ALICE, WRITE, "shop-prod", TRACES, "shop-cart", true, WRITER),
        row("user binding, exact pattern", ALICE, WRITE, "shop-prod", TRACES, "checkout", true, WRITER),
        row("second listed project", ALICE, WRITE, "shop-staging", LOGS, "shop-cart", true, WRITER),
        row("signal not in rule", ALICE, WRITE, "shop-prod", METRICS, "shop-cart", false, DEFAULT),
        row("action not in rule", ALICE, READ, "shop-prod", TRACES, "shop-cart", false, DEFAULT),
        row("project not in rule", ALICE, WRITE, "payments-prod", TRACES, "shop-cart", false, DEFAULT),
        row("service outside patterns", ALICE, WRITE, "shop-prod", TRACES, "payments", false, DEFAULT),
        row("unknown project", ALICE, WRITE, "nope", TRACES, "shop-cart", false, DEFAULT),
        row("client binding", COLLECTOR, WRITE, "shop-prod", LOGS, "shop-api", true, WRITER),
        row("deny prefix wins over allow", COLLECTOR, WRITE, "shop-prod", TRACES, "debug-shop", false, NO_DEBUG),
        row("deny suffix wins over allow *", COLLECTOR, WRITE, "shop-prod", TRACES, "shop-canary", false, NO_DEBUG),
        row("alice has no deny role", ALICE, WRITE, "shop-prod", TRACES, "shop-canary", true, WRITER),
        row("group binding, all services", BOB, READ, "shop-prod", TRACES, "anything", true, READER),
        row("group binding, default signals", BOB, READ, "shop-prod", METRICS, "cart", true, READER),
        row("group deny on read", BOB, READ, "shop-prod", LOGS, "debug-api", false, NO_DEBUG),
        row("group has no write", BOB, WRITE, "shop-prod", TRACES, "shop-cart", false, DEFAULT),
        row("reader project only", BOB, READ, "shop-staging", TRACES, "shop-cart", false, DEFAULT),
        row("* project covers any", NODE_AGENT, WRITE, "payments-prod", METRICS, "ledger", true, PLATFORM),
        row("* project covers unknown", NODE_AGENT, WRITE, "not-configured", METRICS, "x", true, PLATFORM),
        row("* project, wrong signal", NODE_AGENT, WRITE, "payments-prod", TRACES, "ledger", false, DEFAULT),
        row("* project, wrong action", NODE_AGENT, READ, "payments-prod", METRICS, "ledger", false, DEFAULT),
        row("? matches one char", CI, WRITE, "shop-staging", TRACES, "ci-1", true, CI_RULE),
        row("? not two chars", CI, WRITE, "shop-staging", TRACES, "ci-12", false, DEFAULT),
        row("literal dots", CI, WRITE, "shop-staging", TRACES, "build.web.v2", true, CI_RULE),
        row("dot is not any char", CI, WRITE, "shop-staging", TRACES, "build-web-v2", false, DEFAULT),
        row("plus is literal", CI, WRITE, "shop-staging", TRACES, "a+b", true, CI_RULE),
        row("plus is not repetition", CI, WRITE, "shop-staging", TRACES, "aab", false, DEFAULT),
        row("single-string signal", CI, WRITE, "shop-staging", LOGS, "ci-1", false, DEFAULT),
        row("no service.name", ALICE, WRITE, "shop-prod", TRACES, null, false, DEFAULT),
        row("anonymous caller", NOBODY, WRITE, "shop-prod", TRACES, "shop-cart", false, DEFAULT),
        row("subject is not a client id", Identity.user(CORP, "shop-collector"), WRITE, "shop-prod", TRACES,
            "shop-cart", false, DEFAULT),
        row("group is not a user", Identity.user(CORP, "carol", "alice"), WRITE, "shop-prod", TRACES,
            "shop-cart", false, DEFAULT),
        row("client id is not a group", new Identity(CORP, null, "shop-team", Set.of()), READ, "shop-prod",
            TRACES, "x", false, DEFAULT),
        row("roles add up", new Identity(CORP, "alice", "node-agent", Set.of("shop-team")), READ, "shop-prod",
            TRACES, "x", true, READER));
  }

  private static Arguments row(String name, Identity who, Action action, String project, Signal signal,
      String service, boolean allowed, String rule) {
    return argumentSet(name, who, action, project, signal, service, allowed, rule);
  }

  @ParameterizedTest
  @MethodSource("decisions")
  void decides(Identity who, Action action, String project, Signal signal, String service,
      boolean allowed, String rule) {
    Decision d = POLICY.grant(who, action, project, signal).decide(service);

    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.rule()).isEqualTo(rule);
    assertThat(d.policyVersion()).isEqualTo(POLICY.version());
  }

  @ParameterizedTest
  @MethodSource("decisions")
  void explainEndsWithTheDecisionTheGrantTakes(Identity who, Action action, String project,
      Signal signal, String service) {
    Grant grant = POLICY.grant(who, action, project, signal);
    // explain without a service answers for the request as a whole
    Decision d = service == null ? grant.overall() : grant.decide(service);

    List<String> lines = POLICY.explain(who, action, project, signal, service);

    assertThat(lines).last().isEqualTo(
        "decision: " + (d.allowed() ? "allow" : "deny") + " by " + d.rule() + ": " + d.reason());
  }
}
