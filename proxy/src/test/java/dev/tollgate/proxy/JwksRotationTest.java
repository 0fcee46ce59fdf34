package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minted tokens checked the way a collector's OIDC authenticator checks them: an independent nimbus
 * verifier with the key set fetched from {@code /.well-known/jwks.json}, through a full rotation.
 */
class JwksRotationTest {
  static final Duration TTL = Duration.ofMinutes(5);
  @TempDir static Path dir;
  static CredentialsFixture f;
  static String callerToken;

  @BeforeAll
  static void start() throws Exception {
    f = new CredentialsFixture(dir);
    callerToken = f.token("shop-collector");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static HttpResponse<String> jwksResponse(String ifNoneMatch) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(f.url("/.well-known/jwks.json"));
    if (ifNoneMatch != null) {
      b.header("if-none-match", ifNoneMatch);
    }
    return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JWKSet jwks() throws Exception {
    HttpResponse<String> r = jwksResponse(null);
    assertThat(r.statusCode()).isEqualTo(200);
    return JWKSet.parse(r.body());
  }

  /** Sends one export to the minted upstream; the token the collector got. */
  static SignedJWT mintedToken() throws Exception {
    f.collector.reset();
    assertThat(f.export("minted", callerToken).statusCode()).isEqualTo(200);
    String auth = f.collector.await(1).get(0).headers().get("authorization");
    return SignedJWT.parse(auth.substring("Bearer ".length()));
  }

  static JWTClaimsSet verify(SignedJWT jwt, JWKSet keys) throws Exception {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys)));
    p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("http://127.0.0.1:" + f.collector.port(),
        new JWTClaimsSet.Builder().issuer(CredentialsFixture.IDENTITY).subject("tollgate-test").build(),
        Set.of("jti", "iat", "exp")) {
      @Override
      protected Date currentTime() {
        return Date.from(f.clock.instant());
      }
    });
    return p.process(jwt, null);
  }

  static void tick(Duration d) {
    f.clock.advance(d);
    f.tollgate.routes().mintingKeys().tick().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void keysAreServedPublicCacheableAndConditional() throws Exception {
    HttpResponse<String> r = jwksResponse(null);

    assertThat(r.headers().firstValue("cache-control")).hasValue("public, max-age=60");
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    String etag = r.headers().firstValue("etag").orElseThrow();
    assertThat(JWKSet.parse(r.body()).getKeys()).isNotEmpty().noneMatch(k -> k.isPrivate());
    assertThat(jwksResponse(etag).statusCode()).isEqualTo(304);
  }

  @Test
  void tokensVerifyBeforeDuringAndAfterRotationAndARetiredKeyGoesAfterTheOverlap() throws Exception {
    SignedJWT before = mintedToken();
    JWTClaimsSet claims = verify(before, jwks());
    assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", "shop-collector");
    assertThat(claims.getStringClaim("project")).isEqualTo("minted");
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isLessThanOrEqualTo(TTL);
    String oldKid = before.getHeader().getKeyID();

    tick(TTL.minusSeconds(1));
    verify(before, jwks());

    tick(CredentialsFixture.ROTATE.minus(CredentialsFixture.AHEAD).minus(TTL).plusSeconds(1));
    JWKSet during = jwks();
    assertThat(during.getKeys()).as("the next key is published ahead").hasSize(2);
    SignedJWT whilePublishedAhead = mintedToken();
    assertThat(whilePublishedAhead.getHeader().getKeyID()).as("but does not sign yet").isEqualTo(oldKid);
    verify(whilePublishedAhead, during);

    // Past the rotation, and past the half-lifetime for which the last token is reused.
    tick(CredentialsFixture.AHEAD.plusSeconds(40));
    SignedJWT after = mintedToken();
    assertThat(after.getHeader().getKeyID()).isNotEqualTo(oldKid);
    verify(after, during);
    verify(whilePublishedAhead, jwks());

    tick(Duration.ofMinutes(2).plusSeconds(17));
    assertThat(jwks().getKeyByKeyId(oldKid)).as("retired, still published").isNotNull();
    verify(whilePublishedAhead, jwks());
    verify(after, jwks());

    tick(Duration.ofMinutes(3).plusSeconds(14));
    assertThat(jwks().getKeyByKeyId(oldKid)).as("dropped once every token it signed has expired").isNull();
    assertThatThrownBy(() -> verify(whilePublishedAhead, jwks())).isInstanceOf(BadJOSEException.class);
    verify(mintedToken(), jwks());
  }
}
