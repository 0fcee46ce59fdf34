package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.policy.Action;
import dev.tollgate.policy.Identity;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which TraceQL queries are proven to stay inside {checkout, cart-*}; one row a query. */
class TraceQlScopeTest {
  static final TraceScope SCOPE = new TraceScope(Policy.parse(Map.of("p.yaml", String.join("\n",
      "roles: [{name: r, rules: [{actions: [read], projects: [shop], services: [checkout, \"cart-*\"]}]}]",
      "bindings: [{role: r, users: [alice]}]")), Set.of("shop"), Set.of("corp"))
      .grant(new Identity("corp", "alice", null, Set.of()), Action.READ, "shop", Signal.TRACES), false, false);

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
      "{ resource.service.name = \"checkout\" && span.x = \"{ } || true /* // \" } | select(span.http.url)",
      "{ resource.service.name = \"checkout\" } && { resource.service.name = \"cart-api\" && status = error }",
      "({ resource.service.name = \"checkout\" } || { resource.service.name = \"cart-api\" }) | count() > 2",
      "{ resource.service.name = \"checkout\" && kind = server && span:name =~ \"GET.*\" } | by(span.http.route)",
      "{ resource.service.name = \"checkout\" && !(span.error = true) && span.retries * 2 - 1 < 7 }",
      "{ resource.service.name = \"checkout\" && span.db.statement != nil && event.exception.type = \"x\" }",
      "{ true || span.a = 1 && resource.service.name = \"checkout\" }",
      "{ resource.service.name = \"checkout\" && duration > 1h30m && span.ratio > 0.5 }",
      "{ resource.service.name = \"checkout\" } | select(span.db.statement, resource.k8s.pod.name, name, .x)",
  })
  void proven(String q) {
    assertThat(reason(q)).isNull();
  }

  @Test
  void bracketsUpToTheCapAreRead() {
    int inside = TraceQlScope.MAX_DEPTH - 1;
    assertThat(reason("{" + "(".repeat(inside) + "resource.service.name = \"checkout\"" + ")".repeat(inside) + "}"))
        .isNull();
  }

  /** name; query; a fragment of the reason given. */
  static Stream<Arguments> unprovenQueries() {
    return Stream.of(
        row("empty filter", "{ }", "every span"),
        row("true", "{ true }", "does not require"),
        row("other attribute", "{ span.http.method = \"GET\" }", "does not require"),
        row("unscoped service", "{ .service.name = \"checkout\" }", "does not require"),
        row("span attribute", "{ span.service.name = \"checkout\" }", "does not require"),
        row("not equal", "{ resource.service.name != \"payments\" }", "does not require"),
        row("regex", "{ resource.service.name =~ \"checkout|payments\" }", "does not require"),
        row("or true", "{ resource.service.name = \"checkout\" || true }", "does not require"),
        row("negated", "{ !(resource.service.name = \"checkout\") }", "does not require"),
        row("second filter unscoped", "{ resource.service.name = \"checkout\" } || { span.foo = 1 }", "does not"),
        row("quoted attribute name", "{ resource.\"service.name\" = \"checkout\" }", "goes on with"),
        row("unclosed", "{ resource.service.name = \"checkout\"", "missing"),
        row("no filter", "resource.service.name = \"checkout\"", "spanset filter"),
        row("unbalanced }", "{ resource.service.name = \"checkout\" } }", "goes on with"),
        row("variable", "{ resource.service.name = \"checkout\" && $x }", "\"$\""),
        row("unknown escape", "{ resource.service.name = \"che\\qckout\" }", "escape"),
        row("Go-only escape \\/", "{ resource.service.name = \"checkout\\/x\" }", "escape"),
        row("empty second filter", "{ resource.service.name = \"checkout\" } && {}", "every span"),
        row("comparison chain", "{ resource.service.name = \"checkout\" = true }", "does not require"),
        row("arithmetic on the name", "{ resource.service.name = \"checkout\" + span.x }", "does not require"),
        // item 1: comments Tempo skips, and text Tempo reads as part of an attribute name
        row("block comment smuggling", "{ resource.service.name = \"checkout\" } /* \" */ || { true }"
            + " | select(span.db.statement) /* \" */", "comment"),
        row("line comment", "{ resource.service.name = \"checkout\" } // \" || { true }", "comment"),
        row("comment close", "{ resource.service.name = \"checkout\" } */", "comment"),
        row("comment after operator", "{ resource.service.name =/* x */ \"checkout\" }", "comment"),
        row("quote inside attribute name", "{ resource.service.name = \"checkout\" && span.a\" || true || span.b\" = 1 }",
            "goes on with"),
        row("slash inside attribute name", "{ resource.service.name = \"checkout\" && span.a/*x*/ = 1 }", "goes on with"),
        row("plus inside attribute name", "{ resource.service.name = \"checkout\" && span.a+1 = 2 }", "goes on with"),
        row("vertical tab", "{ resource.service.name = \"checkout\"\u000b}", "character"),
        row("no-break space", "{ resource.service.name = \"checkout\"\u00a0}", "character"),
        row("char literal", "{ resource.service.name = 'checkout' }", "character"),
        row("dot number", "{ resource.service.name = \"checkout\" && .5 = 1 }", "number"),
        row("line break in string", "{ resource.service.name = \"check\nout\" }", "control character"),
        row("carriage return in raw string", "{ resource.service.name = `check\rout` }", "control character"),
        row("lone ampersand", "{ resource.service.name = \"checkout\" & true }", "lone"),
        row("hex number", "{ resource.service.name = \"checkout\" && span.x = 0x1f }", "number"),
        // item 2: fields and operators that look at other spans of the trace, and pipeline stages
        row("trace:rootService oracle", "{ resource.service.name = \"checkout\" && trace:rootService = \"payments\" }",
            "other spans"),
        row("trace:duration", "{ resource.service.name = \"checkout\" && trace:duration > 1s }", "other spans"),
        row("trace:id", "{ resource.service.name = \"checkout\" && trace:id = \"ab\" }", "other spans"),
        row("parent attribute", "{ resource.service.name = \"checkout\" && parent.span.db.statement =~ \"card.*\" }",
            "other spans"),
        row("parent resource", "{ resource.service.name = \"checkout\" && parent.resource.service.name = \"x\" }",
            "other spans"),
        row("parent intrinsic", "{ resource.service.name = \"checkout\" && parent = nil }", "other spans"),
        row("rootName", "{ resource.service.name = \"checkout\" && rootName = \"charge\" }", "other spans"),
        row("rootServiceName", "{ resource.service.name = \"checkout\" && rootServiceName = \"payments\" }",
            "other spans"),
        row("traceDuration", "{ resource.service.name = \"checkout\" && traceDuration > 2s }", "other spans"),
        row("nestedSetParent", "{ resource.service.name = \"checkout\" && nestedSetParent = 1 }", "other spans"),
        row("childCount", "{ resource.service.name = \"checkout\" && span:childCount > 1 }", "other spans"),
        row("unknown field", "{ resource.service.name = \"checkout\" && foo = 1 }", "does not know"),
        row("child", "{ resource.service.name = \"checkout\" } > { resource.service.name = \"cart-api\" }", "relates"),
        row("descendant", "{ resource.service.name = \"checkout\" } >> { resource.service.name = \"cart-api\" }",
            "relates"),
        row("ancestor", "{ resource.service.name = \"checkout\" } << { resource.service.name = \"cart-api\" }", "relates"),
        row("sibling", "{ resource.service.name = \"checkout\" } ~ { resource.service.name = \"cart-api\" }", "relates"),
        row("not child", "{ resource.service.name = \"checkout\" } !> { resource.service.name = \"cart-api\" }",
            "relates"),
        row("union descendant", "{ resource.service.name = \"checkout\" } &>> { resource.service.name = \"cart-api\" }",
            "relates"),
        row("not sibling", "{ resource.service.name = \"checkout\" } !~ { resource.service.name = \"cart-api\" }",
            "relates"),
        row("select of a parent", "{ resource.service.name = \"checkout\" } | select(parent.span.db.statement)",
            "other spans"),
        row("select of the root", "{ resource.service.name = \"checkout\" } | select(rootServiceName)", "other spans"),
        row("by the root", "{ resource.service.name = \"checkout\" } | by(trace:rootService)", "other spans"),
        row("avg", "{ resource.service.name = \"checkout\" } | avg(duration) > 1s", "not served"),
        row("coalesce", "{ resource.service.name = \"checkout\" } | coalesce()", "not served"),
        row("second filter stage", "{ resource.service.name = \"checkout\" } | { true }", "not served"),
        row("metrics", "{ resource.service.name = \"checkout\" } | rate()", "not served"),
        row("count compared with arithmetic", "{ resource.service.name = \"checkout\" } | count() > 1 + 1", "goes on"),
        row("count with a duration", "{ resource.service.name = \"checkout\" } | count() > 1s", "whole number"),
        row("hints", "{ resource.service.name = \"checkout\" } with(sample=true)", "goes on with"),
        row("pipeline in brackets", "({ resource.service.name = \"checkout\" } | select(span.x))", "missing"));
  }

  private static Arguments row(String name, String q, String reason) {
    return Arguments.of(Named.of(name, q), reason);
  }

  @ParameterizedTest
  @MethodSource("unprovenQueries")
  void unproven(String q, String reason) {
    assertThat(reason(q)).isNotNull().contains(reason);
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

  /** item 3: deep nesting is refused at the cap, without recursing on, whoever asks. */
  static Stream<String> deepQueries() {
    return Stream.of(
        "{" + "(".repeat(100_000),
        "{" + "(".repeat(33) + "resource.service.name = \"checkout\"" + ")".repeat(33) + "}",
        "(".repeat(100_000) + "{",
        "{" + "!(".repeat(50_000),
        "{ resource.service.name = \"checkout\" && " + "span.x + (".repeat(50_000));
  }

  @ParameterizedTest
  @MethodSource("deepQueries")
  void nestingDeeperThanTheCapIsRefused(String q) {
    assertThatThrownBy(() -> reason(q)).isInstanceOf(QueryRefused.class)
        .satisfies(e -> assertThat(((QueryRefused) e).status()).isEqualTo(400))
        .hasMessageContaining("deeper than " + TraceQlScope.MAX_DEPTH);
  }
}
