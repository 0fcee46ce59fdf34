package dev.tollgate.policy;

import static dev.tollgate.policy.Action.READ;
import static dev.tollgate.policy.Action.WRITE;
import static dev.tollgate.policy.ShopPolicy.CORP;
import static dev.tollgate.policy.Signal.TRACES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyExplainTest {
  private static final Policy POLICY = ShopPolicy.load();

  @Test
  void namesTheMatchedBindingsRolesRulesAndDecision() {
    List<String> lines = POLICY.explain(ShopPolicy.BOB, READ, "shop-prod", TRACES, "debug-api");

    assertThat(lines).containsExactly(
        "question: may user \"bob\" from issuer corp (groups shop-team) read project \"shop-prod\" signal"
            + " traces service \"debug-api\"?",
        "policy: " + POLICY.version(),
        "binding policy.yaml: bindings[1] gives role shop-reader: matches group \"shop-team\" of issuer corp",
        "binding policy.yaml: bindings[2] gives role no-debug: matches group \"shop-team\" of issuer corp",
        "3 other binding(s) do not match",
        "roles: no-debug, shop-reader",
        "role shop-reader rules[0] allow read on projects [shop-prod] signals [traces, metrics, logs]"
            + " services [*]: matches",
        "role no-debug rules[0] deny write, read on projects [*] signals [traces, metrics, logs]"
            + " services [debug-*, *-canary]: matches",
        "decision: deny by role no-debug rules[0]: denied by role no-debug rules[0] (debug-*, *-canary)");
  }

  @Test
  void saysWhyARuleDoesNotMatch() {
    List<String> lines = POLICY.explain(ShopPolicy.ALICE, WRITE, "shop-prod", TRACES, "payments");

    assertThat(lines).contains(
        "binding policy.yaml: bindings[0] gives role shop-writer: matches user \"alice\" of issuer corp",
        "role shop-writer rules[0] allow write on projects [shop-prod, shop-staging] signals [traces, logs]"
            + " services [shop-*, checkout]: does not match, service \"payments\" does not match"
            + " [shop-*, checkout]");
    assertThat(POLICY.explain(ShopPolicy.ALICE, READ, "shop-prod", TRACES, "x"))
        .anyMatch(l -> l.endsWith("does not match, action read is not in [write]"));
    assertThat(POLICY.explain(ShopPolicy.ALICE, WRITE, "payments-prod", TRACES, "x"))
        .anyMatch(l -> l.endsWith("does not match, project \"payments-prod\" is not in [shop-prod, shop-staging]"));
  }

  @Test
  void saysWhenNoBindingMatches() {
    List<String> lines = POLICY.explain(Identity.client(CORP, "stranger"), WRITE, "shop-prod", TRACES, null);

    assertThat(lines).containsSequence(
        "no binding matches client \"stranger\" from issuer corp (5 checked)",
        "roles: none",
        "decision: deny by default-deny: no role of client \"stranger\" from issuer corp grants write on"
            + " project \"shop-prod\" signal traces");
  }
}
