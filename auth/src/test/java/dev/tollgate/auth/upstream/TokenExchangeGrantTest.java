package dev.tollgate.auth.upstream;

import dev.tollgate.auth.Await;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.auth.Caller;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.TokenRequestConfig;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 8693 token exchange against the real OIDC server, authenticated with private_key_jwt. */
class TokenExchangeGrantTest extends RealIdpTest {
  TokenExchangeGrant grant;

  @BeforeEach
  void start() throws Exception {
    Path key = PrivateKeyFiles.ecPem(dir.resolve("client.pem")).file();
    TokenRequestConfig request = new TokenRequestConfig(URI.create(endpoint.tokenUrl("corp")),
        new TokenRequestConfig.ClientAuth("tollgate", TokenRequestConfig.Method.PRIVATE_KEY_JWT, null, key, null),
        List.of(), List.of("tempo-{project}"), List.of(), Duration.ofSeconds(5));
    grant = new TokenExchangeGrant(vertx, new CredentialConfig.TokenExchange(request,
        TokenRequestConfig.ACCESS_TOKEN_TYPE, 100, "Authorization", "Bearer"), clock);
  }

  @AfterEach
  void stop() {
    grant.close();
  }

  /** A caller as Tollgate verified it, with a real token from the IdP, valid for {@code ttl} on the test clock. */
  OnBehalfOf caller(String subject, String project, Duration ttl) {
    String token = idp.issueToken("corp", subject + "-client", new DefaultOAuth2TokenCallback("corp", subject, "JWT",
        List.of("tollgate"), Map.of(), 3600)).serialize();
    Caller c = new Caller(subject, subject + "-client", idp.issuerUrl("corp").toString(), "corp", Set.of(),
        clock.instant().plus(ttl));
    return new OnBehalfOf(c, token, project);
  }

  static SignedJWT bearer(Future<Presentation> p) throws Exception {
    return SignedJWT.parse(Await.result(p).value().substring("Bearer ".length()));
  }

  @Test
  void exchangesTheCallersTokenForOneScopedToTheProject() throws Exception {
    OnBehalfOf alice = caller("alice", "shop", Duration.ofHours(1));

    SignedJWT exchanged = bearer(grant.present(alice));

    assertThat(exchanged.getJWTClaimsSet().getSubject()).isEqualTo("alice");
    assertThat(exchanged.getJWTClaimsSet().getAudience()).containsExactly("tempo-shop");
    assertThat(exchanged.serialize()).isNotEqualTo(alice.subjectToken());
    String form = endpoint.seen.get(0).form();
    assertThat(PrivateKeyFiles.formValue(form, "grant_type")).isEqualTo(TokenExchangeGrant.GRANT_TYPE);
    assertThat(PrivateKeyFiles.formValue(form, "subject_token")).isEqualTo(alice.subjectToken());
    assertThat(PrivateKeyFiles.formValue(form, "subject_token_type")).isEqualTo(TokenRequestConfig.ACCESS_TOKEN_TYPE);
    assertThat(PrivateKeyFiles.formValue(form, "audience")).isEqualTo("tempo-shop");
    assertThat(PrivateKeyFiles.formValue(form, "client_assertion_type")).isEqualTo(ClientAuthentication.ASSERTION_TYPE);
  }

  @Test
  void cachedPerCallerTokenAndProjectUntilNearExpiry() {
    OnBehalfOf alice = caller("alice", "shop", Duration.ofHours(2));
    Presentation first = Await.result(grant.present(alice));
    assertThat(Await.result(grant.present(alice))).isEqualTo(first);
    assertThat(endpoint.requests()).isEqualTo(1);

    Await.result(grant.present(new OnBehalfOf(alice.caller(), alice.subjectToken(), "payments")));
    Await.result(grant.present(caller("bob", "shop", Duration.ofHours(2))));
    assertThat(endpoint.requests()).as("another project, another caller: each its own exchange").isEqualTo(3);

    clock.advance(Duration.ofMinutes(53));
    assertThat(Await.result(grant.present(alice))).as("still before 90% of its hour").isEqualTo(first);
    clock.advance(Duration.ofMinutes(2));
    assertThat(Await.result(grant.present(alice)).sameSecret(first)).isFalse();
    assertThat(endpoint.requests()).isEqualTo(4);
  }

  @Test
  void anExchangedTokenNeverOutlivesTheCallersOwn() {
    OnBehalfOf shortLived = caller("carol", "shop", Duration.ofMinutes(10));
    Presentation first = Await.result(grant.present(shortLived));

    clock.advance(Duration.ofMinutes(9).plusSeconds(30));
    assertThat(Await.result(grant.present(shortLived)).sameSecret(first)).isFalse();
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void aBurstForOneCallerCausesOneExchange() {
    OnBehalfOf alice = caller("alice", "shop", Duration.ofHours(1));
    List<Future<Presentation>> burst = IntStream.range(0, 50).mapToObj(i -> grant.present(alice)).toList();

    assertThat(burst.stream().map(f -> Await.result(f).value()).distinct()).hasSize(1);
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void aFailingEndpointIsBackedOffFromAndRecovers() {
    endpoint.mode = FlakyTokenEndpoint.Mode.FAIL;
    OnBehalfOf alice = caller("alice", "shop", Duration.ofHours(1));

    Throwable err = Await.failure(grant.present(alice));
    assertThat(err).isInstanceOf(CredentialUnavailable.class).hasMessageContaining("HTTP 503")
        .hasMessageNotContaining(alice.subjectToken());
    assertThat(Await.failure(grant.present(caller("bob", "shop", Duration.ofHours(1)))))
        .hasMessageContaining("backing off");
    assertThat(endpoint.requests()).isEqualTo(1);
    assertThat(grant.ready()).isFalse();

    endpoint.mode = FlakyTokenEndpoint.Mode.PASS;
    clock.advance(Duration.ofSeconds(2));
    Await.result(grant.present(alice));
    assertThat(grant.ready()).isTrue();
  }

  @Test
  void withoutTheCallersTokenThereIsNothingToExchange() {
    assertThat(Await.failure(grant.present(OnBehalfOf.NOBODY))).isInstanceOf(CredentialUnavailable.class)
        .hasMessageContaining("caller's verified token");
    assertThat(endpoint.requests()).isZero();
  }

  @Test
  void aRefusedTokenIsExchangedAgainOnceButNotMomentsLater() {
    OnBehalfOf alice = caller("alice", "shop", Duration.ofHours(1));
    Presentation refused = Await.result(grant.present(alice));

    assertThat(Await.failure(grant.renew(alice, refused))).hasMessageContaining("moments ago");
    clock.advance(Duration.ofSeconds(5));
    Presentation renewed = Await.result(grant.renew(alice, refused));
    assertThat(renewed.sameSecret(refused)).isFalse();
    assertThat(endpoint.requests()).isEqualTo(2);
  }
}
