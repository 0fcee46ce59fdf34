package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per token a sender could present, with the verdict. Issuer "a" (JWKS URL, audience
 * tollgate) deliberately lists HS256 among its algorithms to prove HMAC is refused anyway; issuer
 * "b" (discovery, audience tollgate-b) accepts azp. Clock skew is 30s.
 */
class TokenVerifierCasesTest {
  private static final String A = "a";
  private static final String B = "b";
  private static final String STRANGER = "stranger";
  private static final Duration NOW = Duration.ZERO;

  private static Vertx vertx;
  private static MockIdp idp;
  private static TestClock clock;
  private static TokenVerifier verifier;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    idp = MockIdp.start();
    clock = TestClock.atSystemTime();
    verifier = TokenVerifier.create(vertx, List.of(
        TestIssuer.jwksUrl(A, idp.iss(A), idp.jwksUrl(A)).algorithms("RS256", "PS256", "HS256").build(),
        TestIssuer.discovery(B, idp.iss(B), idp.discoveryUrl(B)).audiences("tollgate-b").acceptAzp().build()),
        clock, null);
    verifier.start();
    Await.until("both issuers loaded", verifier::ready, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    verifier.close();
    idp.close();
    Await.result(vertx.close());
  }

  record Outcome(String subject, String reason, int status) {
    static Outcome accepted(String subject) {
      return new Outcome(subject, null, 200);
    }

    static Outcome rejected(String reasonFragment) {
      return new Outcome(null, reasonFragment, 401);
    }

    /** Not refused for good: the sender should retry (503), as the key may be newly published. */
    static Outcome retry(String reasonFragment) {
      return new Outcome(null, reasonFragment, 503);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        row("valid token", () -> idp.token(A, "alice", "tollgate"), NOW, Outcome.accepted("alice")),
        row("valid token by discovery", () -> idp.token(B, "bob", "tollgate-b"), NOW, Outcome.accepted("bob")),
        row("one of several audiences", () -> signedByA(base(A).audience(List.of("x", "tollgate"))),
            NOW, Outcome.accepted("alice")),
        row("expired", () -> idp.token(A, "alice", "tollgate"), secs(120), Outcome.rejected("token expired")),
        row("expired but within skew", () -> idp.token(A, "alice", "tollgate"), secs(75), Outcome.accepted("alice")),
        row("not yet valid", () -> idp.token(A, "alice", "tollgate", Map.of("nbf", epoch(120)), 600),
            NOW, Outcome.rejected("not valid yet (nbf)")),
        row("nbf within skew", () -> idp.token(A, "alice", "tollgate", Map.of("nbf", epoch(10)), 600),
            NOW, Outcome.accepted("alice")),
        row("issuer not configured", () -> idp.token(STRANGER, "eve", "tollgate"), NOW,
            Outcome.rejected("issuer is not trusted")),
        row("no issuer", () -> signedByA(base(A).issuer(null)), NOW, Outcome.rejected("issuer is not trusted")),
        row("wrong audience", () -> idp.token(A, "alice", "billing"), NOW, Outcome.rejected("audience")),
        row("azp ignored without accept_azp", () -> signedByA(base(A).audience("billing").claim("azp", "tollgate")),
            NOW, Outcome.rejected("audience")),
        row("azp accepted with accept_azp", () -> signed(B, base(B).audience("billing").claim("azp", "tollgate-b")),
            NOW, Outcome.accepted("alice")),
        row("azp not in audiences", () -> signed(B, base(B).audience("billing").claim("azp", "billing")),
            NOW, Outcome.rejected("audience")),
        row("alg none", () -> Tokens.unsigned(base(A).build()), NOW, Outcome.rejected("alg none")),
        row("HS256 keyed with the public key (DER)", () -> Tokens.hmac(publicKeyDer(), A, base(A).build()),
            NOW, Outcome.rejected("HS256 is not accepted")),
        row("HS256 keyed with the public key (PEM)", () -> Tokens.hmac(publicKeyPem(), A, base(A).build()),
            NOW, Outcome.rejected("HS256 is not accepted")),
        row("RS512 not in the allow-list", () -> Tokens.sign(idp.signingKey(A), JWSAlgorithm.RS512, A, base(A).build()),
            NOW, Outcome.rejected("RS512 is not allowed")),
        row("PS256 with a key published for RS256", () -> Tokens.sign(idp.signingKey(A), JWSAlgorithm.PS256, A,
            base(A).build()), NOW, Outcome.rejected("signing key (kid 'a') cannot verify PS256")),
        row("EdDSA", () -> Tokens.raw("{\"alg\":\"EdDSA\",\"kid\":\"a\"}", payload(A), "sig"), NOW,
            Outcome.rejected("EdDSA is not supported")),
        row("alg with header injection", () -> Tokens.raw("{\"alg\":\"RS256\\r\\nX-Evil: 1\",\"kid\":\"a\"}",
            payload(A), "sig"), NOW, Outcome.rejected("algorithm (unprintable) is not allowed")),
        row("unknown kid", () -> Tokens.sign(Tokens.rsa("rogue"), JWSAlgorithm.RS256, "rogue", issuedLongAgo(A)),
            NOW, Outcome.rejected("unknown signing key (kid 'rogue')")),
        row("unprintable unknown kid", () -> Tokens.sign(idp.signingKey(A), JWSAlgorithm.RS256, "x\"\n",
            issuedLongAgo(A)), NOW, Outcome.rejected("unknown signing key (kid '(unprintable)')")),
        row("unknown kid, issued after the last key fetch", () -> Tokens.sign(Tokens.rsa("fresh"),
            JWSAlgorithm.RS256, "fresh", base(A).build()), NOW,
            Outcome.retry("signing key (kid 'fresh') is not among")),
        row("issuer's kid, another issuer's key", () -> Tokens.sign(idp.signingKey(STRANGER), JWSAlgorithm.RS256, A,
            base(A).build()), NOW, Outcome.rejected("invalid signature")),
        row("payload swapped under a valid signature", TokenVerifierCasesTest::tamperedPayload, NOW,
            Outcome.rejected("invalid signature")),
        row("garbage", () -> "not-a-jwt", NOW, Outcome.rejected("malformed token")),
        row("three dots of garbage", () -> "a.b.c", NOW, Outcome.rejected("malformed token")),
        row("JWE", () -> Tokens.encrypted(idp.signingKey(A), base(A).build()), NOW,
            Outcome.rejected("encrypted tokens (JWE) are not accepted")),
        row("missing exp", () -> signedByA(base(A).expirationTime(null)), NOW, Outcome.rejected("no expiry (exp)")),
        row("exp not a number", () -> Tokens.raw("{\"alg\":\"RS256\",\"kid\":\"a\"}",
            "{\"iss\":\"" + idp.iss(A) + "\",\"exp\":\"tomorrow\"}", "sig"), NOW, Outcome.rejected("malformed token claims")),
        row("missing sub", () -> signedByA(base(A).subject(null)), NOW, Outcome.rejected("no subject (claim sub)")),
        row("oversized", () -> "e".repeat(20_000), NOW, Outcome.rejected("larger than")),
        row("crit header", () -> Tokens.raw("{\"alg\":\"RS256\",\"kid\":\"a\",\"crit\":[\"x-c\"],\"x-c\":1}",
            payload(A), "sig"), NOW, Outcome.rejected("critical header parameters")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void verdict(Supplier<String> token, Duration clockOffset, Outcome expected) {
    String jwt = token.get();
    clock.set(Instant.now().plus(clockOffset));
    if (expected.subject() != null) {
      Caller caller = Await.result(verifier.verify(jwt));
      assertThat(caller.subject()).isEqualTo(expected.subject());
      // the issuer the token names, not merely one of the two configured
      assertThat(caller.issuer()).isIn(idp.iss(A), idp.iss(B)).isEqualTo(issuerClaim(jwt));
      return;
    }
    AuthenticationException e = Await.rejection(verifier.verify(jwt));
    assertThat(e.reason()).contains(expected.reason());
    assertThat(e.httpStatus()).isEqualTo(expected.status());
    assertThat(e.errorCode()).isEqualTo(expected.status() == 401 ? "invalid_token" : null);
    assertThat(e.getStackTrace()).isEmpty();
    for (String part : jwt.split("\\.")) {
      if (part.length() >= 8) {
        assertThat(e.reason()).doesNotContain(part);
      }
    }
  }

  private static String issuerClaim(String jwt) {
    try {
      return com.nimbusds.jwt.JWTParser.parse(jwt).getJWTClaimsSet().getIssuer();
    } catch (java.text.ParseException e) {
      throw new AssertionError("an accepted token that does not parse", e);
    }
  }

  private static Arguments row(String name, Supplier<String> token, Duration clockOffset, Outcome expected) {
    return argumentSet(name, token, clockOffset, expected);
  }

  private static Duration secs(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  private static long epoch(long secondsFromNow) {
    return Instant.now().plusSeconds(secondsFromNow).getEpochSecond();
  }

  private static JWTClaimsSet.Builder base(String issuerId) {
    String aud = issuerId.equals(B) ? "tollgate-b" : "tollgate";
    return Tokens.claims(idp.iss(issuerId), "alice", aud, Duration.ofMinutes(5));
  }

  /** Claims of a token issued well before the verifier last fetched keys. */
  private static JWTClaimsSet issuedLongAgo(String issuerId) {
    return base(issuerId).issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(10)))).build();
  }

  private static String signedByA(JWTClaimsSet.Builder claims) {
    return signed(A, claims);
  }

  private static String signed(String issuerId, JWTClaimsSet.Builder claims) {
    return Tokens.sign(idp.signingKey(issuerId), JWSAlgorithm.RS256, issuerId, claims.build());
  }

  private static String payload(String issuerId) {
    return base(issuerId).build().toString();
  }

  private static byte[] publicKeyDer() {
    try {
      return idp.signingKey(A).toRSAPublicKey().getEncoded();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] publicKeyPem() {
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKeyDer())
        + "\n-----END PUBLIC KEY-----\n";
    return pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static String tamperedPayload() {
    String[] parts = idp.token(A, "alice", "tollgate").split("\\.");
    String forged = base(A).subject("mallory").build().toString();
    return parts[0] + "." + Base64URL.encode(forged) + "." + parts[2];
  }
}
