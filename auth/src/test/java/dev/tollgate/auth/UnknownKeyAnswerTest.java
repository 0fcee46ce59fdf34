package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tollgate.auth.AuthenticationException.Kind;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A token naming a key we do not hold is refused for good (401, the sender drops the data) only when
 * keys fetched after the token was issued lack it; while the refetch that could show a freshly
 * rotated key is rate-limited, the answer is retryable (503). Counted on a real JWKS endpoint, timed
 * by a test clock.
 */
class UnknownKeyAnswerTest {
  private static final String ISS = "https://idp.example/realm";
  private static final Duration MIN_REFETCH = Duration.ofSeconds(30);
  private static final Duration SKEW = Duration.ofSeconds(30);

  private final RSAKey key1 = Tokens.rsa("k1");
  private final RSAKey key2 = Tokens.rsa("k2");
  private final TestClock clock = TestClock.atSystemTime();
  private Vertx vertx;
  private JwksServer idp;
  private TokenVerifier verifier;
  private Instant firstFetch;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    idp = JwksServer.start(vertx, 0, Tokens.jwks(key1));
    firstFetch = clock.instant();
    verifier = TokenVerifier.create(vertx, List.of(TestIssuer.jwksUrl("idp", ISS, idp.url())
        .minRefetch(MIN_REFETCH).clockSkew(SKEW).build()), clock, null);
    verifier.start();
    Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    verifier.close();
    idp.close();
    Await.result(vertx.close());
  }

  static Stream<Arguments> issuedAt() {
    return Stream.of(
        row("issued 5 min before the last fetch", Duration.ofMinutes(-5), Kind.INVALID_TOKEN),
        row("issued just beyond clock skew before it", SKEW.plusSeconds(1).negated(), Kind.INVALID_TOKEN),
        row("issued within clock skew before it", Duration.ofSeconds(-10), Kind.KEYS_UNAVAILABLE),
        row("issued as it ran", Duration.ZERO, Kind.KEYS_UNAVAILABLE),
        row("issued after it", Duration.ofSeconds(5), Kind.KEYS_UNAVAILABLE),
        row("no iat", null, Kind.KEYS_UNAVAILABLE));
  }

  private static Arguments row(String name, Duration sinceFirstFetch, Kind expected) {
    return argumentSet(name, sinceFirstFetch, expected);
  }

  @ParameterizedTest
  @MethodSource("issuedAt")
  void whileTheRefetchIsRateLimited(Duration sinceFirstFetch, Kind expected) {
    clock.advance(Duration.ofSeconds(10));

    AuthenticationException e = Await.rejection(verifier.verify(
        token(key2, sinceFirstFetch == null ? null : firstFetch.plus(sinceFirstFetch))));

    assertThat(e.kind()).as(e.reason()).isEqualTo(expected);
    assertThat(e.httpStatus()).isEqualTo(expected == Kind.INVALID_TOKEN ? 401 : 503);
    assertThat(idp.requests()).as("the rate limit holds").isEqualTo(1);
  }

  @Test
  void madeUpKidsCannotMakeARotatedKeyDropData() {
    clock.advance(MIN_REFETCH);
    Await.rejection(verifier.verify(token(key1, "rogue-1", clock.instant())));
    assertThat(idp.requests()).as("the attacker used up the interval").isEqualTo(2);

    idp.serve(Tokens.jwks(key1, key2));
    clock.advance(Duration.ofSeconds(10));
    String rotated = token(key2, clock.instant());
    AuthenticationException e = Await.rejection(verifier.verify(rotated));
    assertThat(e.httpStatus()).as(e.reason()).isEqualTo(503);

    clock.advance(MIN_REFETCH);
    Await.rejection(verifier.verify(token(key1, "rogue-2", clock.instant())));
    assertThat(idp.requests()).isEqualTo(3);
    assertThat(Await.result(verifier.verify(rotated)).subject()).as("the sender's retry lands").isEqualTo("alice");
  }

  @Test
  void aTokenWithoutIatIsRefusedOnceItsOwnRefetchLacksTheKey() {
    String noIat = token(key2, null);
    clock.advance(Duration.ofSeconds(10));
    assertThat(Await.rejection(verifier.verify(noIat)).kind()).isEqualTo(Kind.KEYS_UNAVAILABLE);

    clock.advance(MIN_REFETCH);
    AuthenticationException e = Await.rejection(verifier.verify(noIat));
    assertThat(e.reason()).isEqualTo("unknown signing key (kid 'k2')");
    assertThat(idp.requests()).isEqualTo(2);
  }

  private String token(RSAKey key, Instant issuedAt) {
    return token(key, key.getKeyID(), issuedAt);
  }

  private String token(RSAKey key, String kid, Instant issuedAt) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISS).subject("alice").audience("tollgate")
        .expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1))));
    if (issuedAt != null) {
      claims.issueTime(Date.from(issuedAt));
    }
    return Tokens.sign(key, JWSAlgorithm.RS256, kid, claims.build());
  }
}
