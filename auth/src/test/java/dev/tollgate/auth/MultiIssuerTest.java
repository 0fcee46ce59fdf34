package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ClaimMapping;
import dev.tollgate.policy.Action;
import dev.tollgate.policy.Identity;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.Signal;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three issuers on one real IdP, each keyed a different way and each with its own audience. */
class MultiIssuerTest {
  private static final ClaimMapping KEYCLOAK_STYLE = new ClaimMapping("preferred_username",
      List.of("client.id", "azp"),
      List.of("realm_access.roles", "resource_access.tollgate.roles", "https://tollgate.dev/groups"));

  private static Vertx vertx;
  private static MockIdp idp;
  private static TokenVerifier verifier;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    vertx = Vertx.vertx();
    idp = MockIdp.start();
    Path jwksFile = Files.writeString(dir.resolve("jwks.json"), idp.jwks("file"));
    verifier = TokenVerifier.create(vertx, List.of(
        TestIssuer.discovery("disc", idp.iss("disc"), idp.discoveryUrl("disc")).audiences("svc-disc").build(),
        TestIssuer.jwksUrl("url", idp.iss("url"), idp.jwksUrl("url")).audiences("svc-url").build(),
        TestIssuer.jwksFile("file", idp.iss("file"), jwksFile).audiences("svc-file").claims(KEYCLOAK_STYLE).build()),
        TestClock.atSystemTime(), null);
    verifier.start();
    Await.until("all issuers loaded", verifier::ready, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    verifier.close();
    idp.close();
    Await.result(vertx.close());
  }

  @Test
  void eachIssuerVerifiesItsOwnTokens() {
    for (String id : List.of("disc", "url")) {
      Caller caller = Await.result(verifier.verify(idp.token(id, "svc-" + id + "-client", "svc-" + id)));
      assertThat(caller.issuer()).isEqualTo(idp.iss(id));
      assertThat(caller.subject()).isEqualTo("svc-" + id + "-client");
    }
    Caller fromFile = Await.result(verifier.verify(
        idp.token("file", "ignored", "svc-file", Map.of("preferred_username", "carol"), 60)));
    assertThat(fromFile.issuer()).isEqualTo(idp.iss("file"));
    assertThat(fromFile.subject()).isEqualTo("carol");
  }

  @Test
  void audiencesAreNotSharedAcrossIssuers() {
    AuthenticationException e = Await.rejection(verifier.verify(idp.token("disc", "alice", "svc-url")));
    assertThat(e.reason()).isEqualTo("token audience is not accepted here");
  }

  @Test
  void nestedClaimPathsMapToTheCaller() {
    Map<String, Object> claims = Map.of(
        "preferred_username", "carol",
        "client", Map.of("id", "ci-runner"),
        "realm_access", Map.of("roles", List.of("admin", "dev", 42, Map.of("x", "y"))),
        "resource_access", Map.of("tollgate", Map.of("roles", "ops"), "other", Map.of("roles", List.of("no"))),
        "https://tollgate.dev/groups", List.of("team-a", "dev"));
    Caller caller = Await.result(verifier.verify(idp.token("file", "sub-ignored", "svc-file", claims, 60)));

    assertThat(caller.subject()).isEqualTo("carol");
    assertThat(caller.clientId()).isEqualTo("ci-runner");
    assertThat(caller.groups()).containsExactly("admin", "dev", "ops", "team-a");
    assertThat(caller.issuerName()).isEqualTo("file");
    assertThat(caller.identity()).isEqualTo(new Identity("file", "carol", "ci-runner", caller.groups()));
  }

  @Test
  void theSameSubjectFromTwoIssuersIsTwoCallersToThePolicy() {
    Policy policy = Policy.parse(Map.of("policy.yaml", String.join("\n",
        "roles: [{name: writer, rules: [{actions: [write], projects: [shop]}]}]",
        "bindings: [{role: writer, issuers: [disc], users: [shop-collector]}]")),
        Set.of("shop"), Set.of("disc", "url", "file"));
    Caller bound = Await.result(verifier.verify(idp.token("disc", "shop-collector", "svc-disc")));
    Caller other = Await.result(verifier.verify(idp.token("url", "shop-collector", "svc-url")));

    assertThat(bound.subject()).isEqualTo(other.subject());
    assertThat(policy.grant(bound.identity(), Action.WRITE, "shop", Signal.TRACES).allowsAny()).isTrue();
    assertThat(policy.grant(other.identity(), Action.WRITE, "shop", Signal.TRACES).allowsAny()).isFalse();
  }

  @Test
  void clientIdFallsBackToTheNextPath() {
    Caller caller = Await.result(verifier.verify(
        idp.token("file", "x", "svc-file", Map.of("preferred_username", "carol"), 60)));
    assertThat(caller.clientId()).isEqualTo("default"); // the mock's azp
    assertThat(caller.groups()).isEmpty();
  }

  @Test
  void statusNamesEachKeySource() {
    assertThat(verifier.status()).extracting(IssuerStatus::name, IssuerStatus::ready, IssuerStatus::keys)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("disc", true, 1),
            org.assertj.core.groups.Tuple.tuple("url", true, 1),
            org.assertj.core.groups.Tuple.tuple("file", true, 1));
    assertThat(verifier.status().get(0).keySource()).startsWith("discovery " + idp.discoveryUrl("disc"));
    assertThat(verifier.status().get(2).keySource()).endsWith("jwks.json");
  }

  @Test
  void discoveryDocumentForAnotherIssuerIsRefused() {
    TokenVerifier mismatched = TokenVerifier.create(vertx, List.of(
        TestIssuer.discovery("liar", idp.iss("elsewhere"), idp.discoveryUrl("disc")).build()),
        TestClock.atSystemTime(), null);
    try {
      mismatched.start();
      Await.until("first load failed", () -> mismatched.status().get(0).lastError() != null, Duration.ofSeconds(10));
      assertThat(mismatched.ready()).isFalse();
      assertThat(mismatched.status().get(0).lastError()).contains("names issuer \"" + idp.iss("disc") + "\"");
    } finally {
      mismatched.close();
    }
  }
}
