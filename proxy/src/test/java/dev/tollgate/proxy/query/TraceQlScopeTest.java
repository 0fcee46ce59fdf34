package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.policy.Action;
import dev.tollgate.policy.Identity;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which TraceQL queries are proven to stay inside {checkout, cart-*}; one row a query. */
class TraceQlScopeTest {
  static final TraceScope SCOPE = new TraceScope(Policy.parse(Map.of("p.yaml", String.join("\n",
      "roles: [{name: r, rules: [{actions: [read], projects: [shop], services: [checkout, \"cart-*\"]}]}]",
      "bindings: [{role: r, users: [alice]}]")), Set.of("shop"))
      .grant(new Identity("alice", null, Set.of()), Action.READ, "shop", Signal.TRACES), false, false);

  static String reason(String q) {
    return TraceQlScope.unprovenReason(q, SCOPE, new QueryTally("tempo", 5));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{ resource.service.name = \"checkout\" }",
      "{resource.service.name=\"cart-api\"}",
      "{ resource.service.name = \"checkout\" && span.http.status_code >= 500 }",
      "{ span.http.method = \"GET\" && resource.service.name = `checkout` }",
      "{ resource.service.name = \"checkout\" || resource.service.name = \"cart-api\" }",
      "{ (resource.service.name = \"checkout\" || resource.service.name = \"cart-db\") && duration > 2s }",
      "{ resource.service.name = \"check\\u006fut\" }",
      "{ resource.service.name = \"checkout\" } >> { resource.service.name = \"cart-api\" } | count() > 2",
      "{ resource.service.name = \"checkout\" && span.x = \"{ } || true\" } | select(span.http.url)",
  })
  void proven(String q) {
    assertThat(reason(q)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{ }",
      "{ true }",
      "{ span.http.method = \"GET\" }",
      "{ .service.name = \"checkout\" }",
      "{ span.service.name = \"checkout\" }",
      "{ resource.service.name != \"payments\" }",
      "{ resource.service.name =~ \"checkout|payments\" }",
      "{ resource.service.name = \"checkout\" || true }",
      "{ !(resource.service.name = \"checkout\") }",
      "{ resource.service.name = \"checkout\" } || { span.foo = 1 }",
      "{ resource.\"service.name\" = \"checkout\" }",
      "{ resource.service.name = \"checkout\"",
      "resource.service.name = \"checkout\"",
      "{ resource.service.name = \"checkout\" } }",
      "{ resource.service.name = \"checkout\" && $x }",
      "{ resource.service.name = \"che\\qckout\" }",
      "{ resource.service.name = \"checkout\" } && {}",
  })
  void unproven(String q) {
    assertThat(reason(q)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{ resource.service.name = \"payments\" }",
      "{ resource.service.name = \"checkout\" } && { resource.service.name = \"payments\" }",
      "{ resource.service.name = \"Checkout\" }",
  })
  void namingAForbiddenServiceIsRefused(String q) {
    assertThatThrownBy(() -> reason(q)).isInstanceOf(QueryRefused.class)
        .satisfies(e -> assertThat(((QueryRefused) e).status()).isEqualTo(403));
  }
}
