package dev.tollgate.auth.upstream;

import dev.tollgate.auth.Await;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.RefreshConfig;
import dev.tollgate.config.TokenRequestConfig;
import dev.tollgate.config.TokenRequestConfig.Method;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client credentials against the real OIDC server, with a token endpoint that fails, slows and recovers. */
class ClientCredentialsGrantTest extends RealIdpTest {
  static final String SECRET = "s3cr3t-client-secret-value";
  ClientCredentialsGrant grant;

  @BeforeEach
  void writeSecret() throws Exception {
    Files.writeString(dir.resolve("secret"), SECRET + "\n");
  }

  @AfterEach
  void stop() {
    if (grant != null) {
      grant.close();
    }
  }

  ClientCredentialsGrant grant(Method method, Path keyFile) {
    TokenRequestConfig request = new TokenRequestConfig(URI.create(endpoint.tokenUrl("corp")),
        new TokenRequestConfig.ClientAuth("tollgate", method, keyFile == null ? dir.resolve("secret") : null,
            keyFile, "tollgate-key-1"),
        List.of("collector-write"), List.of(), List.of("https://collector.example"), Duration.ofSeconds(2));
    grant = new ClientCredentialsGrant(vertx, new CredentialConfig.ClientCredentials(request,
        RefreshConfig.defaults(), "Authorization", "Bearer"), clock);
    Await.result(grant.start());
    return grant;
  }

  static SignedJWT bearer(Presentation p) throws Exception {
    assertThat(p.header()).isEqualTo("Authorization");
    assertThat(p.value()).startsWith("Bearer ");
    return SignedJWT.parse(p.value().substring(7));
  }

  @Test
  void clientSecretBasicGetsATokenWithTheRequestedScope() throws Exception {
    grant(Method.CLIENT_SECRET_BASIC, null);

    SignedJWT token = bearer(Await.result(grant.present(OnBehalfOf.NOBODY)));
    assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("tollgate");
    assertThat(token.getJWTClaimsSet().getAudience()).containsExactly("collector-write");
    FlakyTokenEndpoint.Seen seen = endpoint.seen.get(0);
    String basic = new String(Base64.getDecoder().decode(seen.authorization().substring(6)), StandardCharsets.UTF_8);
    assertThat(basic).isEqualTo("tollgate:" + SECRET);
    assertThat(seen.form()).contains("grant_type=client_credentials", "scope=collector-write",
        "resource=https%3A%2F%2Fcollector.example").doesNotContain(SECRET);
    assertThat(grant.ready()).isTrue();
    assertThat(Await.result(grant.present(OnBehalfOf.NOBODY)).keyId())
        .isEqualTo("jti:" + token.getJWTClaimsSet().getJWTID());
  }

  @Test
  void clientSecretPostSendsTheSecretInTheForm() {
    grant(Method.CLIENT_SECRET_POST, null);

    assertThat(grant.ready()).isTrue();
    FlakyTokenEndpoint.Seen seen = endpoint.seen.get(0);
    assertThat(seen.authorization()).isNull();
    assertThat(seen.form()).contains("client_id=tollgate", "client_secret=" + SECRET);
  }

  @Test
  void privateKeyJwtSignsAnAssertionForTheTokenEndpoint() throws Exception {
    PrivateKeyFiles.Pair key = PrivateKeyFiles.ecPem(dir.resolve("client.pem"));
    grant(Method.PRIVATE_KEY_JWT, key.file());

    assertThat(grant.ready()).isTrue();
    String form = endpoint.seen.get(0).form();
    assertThat(form).contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer");
    SignedJWT assertion = SignedJWT.parse(PrivateKeyFiles.formValue(form, "client_assertion"));
    assertThat(assertion.verify(key.verifier())).isTrue();
    assertThat(assertion.getHeader().getKeyID()).isEqualTo("tollgate-key-1");
    assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("tollgate");
    assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("tollgate");
    assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(endpoint.tokenUrl("corp"));
    assertThat(Duration.between(assertion.getJWTClaimsSet().getIssueTime().toInstant(),
        assertion.getJWTClaimsSet().getExpirationTime().toInstant())).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void refreshesAheadOfExpiryInTheBackgroundWhileServingTheCurrentToken() {
    grant(Method.CLIENT_SECRET_BASIC, null);
    Presentation first = Await.result(grant.present(OnBehalfOf.NOBODY));
    Duration lifetime = Duration.between(grant.current().issuedAt(), grant.current().expiresAt());

    clock.advance(lifetime.multipliedBy(60).dividedBy(100));
    assertThat(Await.result(grant.present(OnBehalfOf.NOBODY))).isEqualTo(first);
    assertThat(endpoint.requests()).as("before 75% - 10%% jitter: no refresh").isEqualTo(1);

    clock.advance(lifetime.multipliedBy(26).dividedBy(100));
    assertThat(Await.result(grant.present(OnBehalfOf.NOBODY))).as("served at once, refreshed behind").isEqualTo(first);
    awaitRequests(2);
    awaitTrue(() -> !Await.result(grant.present(OnBehalfOf.NOBODY)).sameSecret(first));
    assertThat(grant.metrics().snapshot(clock.instant()).refreshes()).isEqualTo(2);
  }

  @Test
  void aBurstAtExpiryCausesExactlyOneFetch() throws Exception {
    grant(Method.CLIENT_SECRET_BASIC, null);
    Presentation old = Await.result(grant.present(OnBehalfOf.NOBODY));
    clock.advance(Duration.between(grant.current().issuedAt(), grant.current().expiresAt()));

    List<Future<Presentation>> burst = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 200; i++) {
      pool.execute(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        burst.add(grant.present(OnBehalfOf.NOBODY));
      });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    List<String> values = burst.stream().map(f -> Await.result(f).value()).distinct().toList();
    assertThat(values).hasSize(1).doesNotContain(old.value());
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void aFailingEndpointKeepsTheTokenUntilItExpiresThenRecovers() {
    grant(Method.CLIENT_SECRET_POST, null);
    Presentation first = Await.result(grant.present(OnBehalfOf.NOBODY));
    Duration lifetime = Duration.between(grant.current().issuedAt(), grant.current().expiresAt());
    endpoint.mode = FlakyTokenEndpoint.Mode.FAIL;

    clock.advance(lifetime.multipliedBy(90).dividedBy(100));
    assertThat(Await.result(grant.present(OnBehalfOf.NOBODY))).isEqualTo(first);
    awaitTrue(() -> grant.metrics().snapshot(clock.instant()).failures() == 1);
    assertThat(grant.ready()).as("the current token is still valid").isTrue();

    clock.advance(lifetime.dividedBy(10));
    assertThat(grant.ready()).isFalse();
    Throwable err = Await.failure(grant.present(OnBehalfOf.NOBODY));
    assertThat(err).isInstanceOf(CredentialUnavailable.class).hasMessageContaining("HTTP 503")
        .hasMessageNotContaining(SECRET);
    int requests = endpoint.requests();
    assertThat(Await.failure(grant.present(OnBehalfOf.NOBODY))).as("backing off: no new request")
        .isInstanceOf(CredentialUnavailable.class).hasMessageContaining("next attempt in");
    assertThat(endpoint.requests()).isEqualTo(requests);

    endpoint.mode = FlakyTokenEndpoint.Mode.PASS;
    clock.advance(Duration.ofMinutes(2));
    assertThat(Await.result(grant.present(OnBehalfOf.NOBODY)).sameSecret(first)).isFalse();
    assertThat(grant.ready()).isTrue();
  }

  @Test
  void aSlowEndpointTimesOutAndIsRetriedAfterBackoff() {
    endpoint.mode = FlakyTokenEndpoint.Mode.SLOW;
    grant(Method.CLIENT_SECRET_BASIC, null);

    assertThat(grant.ready()).isFalse();
    assertThat(grant.metrics().snapshot(clock.instant()).failures()).isEqualTo(1);
    endpoint.mode = FlakyTokenEndpoint.Mode.PASS;
    clock.advance(Duration.ofSeconds(1));
    Await.result(grant.present(OnBehalfOf.NOBODY));
    assertThat(grant.ready()).isTrue();
  }

  @Test
  void renewalAfterARefusalFetchesOnceAndNotAgainRightAway() {
    grant(Method.CLIENT_SECRET_BASIC, null);
    Presentation refused = Await.result(grant.present(OnBehalfOf.NOBODY));

    List<Future<Presentation>> renewals = List.of(grant.renew(OnBehalfOf.NOBODY, refused),
        grant.renew(OnBehalfOf.NOBODY, refused), grant.renew(OnBehalfOf.NOBODY, refused));
    Presentation renewed = Await.result(renewals.get(0));
    assertThat(renewed.sameSecret(refused)).isFalse();
    renewals.forEach(r -> assertThat(Await.result(r)).isEqualTo(renewed));
    assertThat(endpoint.requests()).isEqualTo(2);

    assertThat(Await.failure(grant.renew(OnBehalfOf.NOBODY, renewed)))
        .isInstanceOf(CredentialUnavailable.class).hasMessageContaining("moments ago");
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  void awaitRequests(int n) {
    awaitTrue(() -> endpoint.requests() >= n);
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10s").isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
