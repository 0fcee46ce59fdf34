package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A steady sender costs one signature check per token, and never outlives its exp. */
class VerifiedTokenCacheTest {
  private static final String ISS = "https://cache.example/";
  private final RSAKey key = Tokens.rsa("k1");
  private final TestClock clock = TestClock.atSystemTime();
  private Vertx vertx;
  private JwksServer idp;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    idp = JwksServer.start(vertx, 0, new JWKSet(key.toPublicJWK()).toString());
  }

  @AfterEach
  void stop() {
    idp.close();
    Await.result(vertx.close());
  }

  @Test
  void sameTokenTwiceCostsOneSignatureCheck() {
    TokenVerifier verifier = started(TokenVerifier.DEFAULT_CACHE_SIZE, Duration.ofSeconds(30));
    String token = token(Duration.ofMinutes(5));

    Caller first = Await.result(verifier.verify(token));
    Caller second = Await.result(verifier.verify(token));

    assertThat(second).isEqualTo(first);
    assertThat(verifier.signatureVerifications()).isEqualTo(1);
    Await.result(verifier.verify(token(Duration.ofMinutes(5))));
    assertThat(verifier.signatureVerifications()).isEqualTo(2);
    verifier.close();
  }

  @Test
  void cachedTokenStopsWorkingAtExp() {
    TokenVerifier verifier = started(TokenVerifier.DEFAULT_CACHE_SIZE, Duration.ZERO);
    String token = token(Duration.ofSeconds(60));
    Caller caller = Await.result(verifier.verify(token));

    clock.set(caller.expiresAt().minusSeconds(1));
    Await.result(verifier.verify(token));
    assertThat(verifier.signatureVerifications()).as("served from the cache").isEqualTo(1);

    clock.set(caller.expiresAt().plusSeconds(1));
    assertThat(Await.rejection(verifier.verify(token)).reason()).isEqualTo("token expired");
    assertThat(verifier.signatureVerifications()).as("cache miss, verified again").isEqualTo(2);
    verifier.close();
  }

  @Test
  void cacheHitNeedsTheWholeTokenNotJustItsPayload() {
    TokenVerifier verifier = started(TokenVerifier.DEFAULT_CACHE_SIZE, Duration.ofSeconds(30));
    String token = token(Duration.ofMinutes(5));
    Await.result(verifier.verify(token));
    String sameClaimsForgedSignature = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(
        token.lastIndexOf('.') + 5);

    assertThat(Await.rejection(verifier.verify(sameClaimsForgedSignature)).reason()).isEqualTo("invalid signature");
    verifier.close();
  }

  /**
   * A hit skips the token68 check, which holds only because a hit is the very string that passed
   * it. A cached token with a character slipped into its signature, where a lenient base64 decoder
   * would skip it, is another string: a miss, checked and refused before it is parsed.
   */
  @Test
  void aCachedTokenWithACharacterSlippedInIsCheckedAgain() {
    TokenVerifier verifier = started(TokenVerifier.DEFAULT_CACHE_SIZE, Duration.ofSeconds(30));
    String token = token(Duration.ofMinutes(5));
    Await.result(verifier.verify(token));
    int signature = token.lastIndexOf('.') + 8;

    for (String junk : List.of("!", "\"", " ", "\n", "\u00e9")) {
      String altered = token.substring(0, signature) + junk + token.substring(signature);
      AuthenticationException e = Await.rejection(verifier.verify(altered));
      assertThat(e.httpStatus()).as("%s slipped in", junk).isEqualTo(400);
      assertThat(e.reason()).isIn("malformed bearer token", "exactly one bearer token is allowed");
    }
    assertThat(Await.result(verifier.verify(token)).subject()).isEqualTo("alice");
    assertThat(verifier.signatureVerifications()).as("no altered token reached a signature check").isEqualTo(1);
    verifier.close();
  }

  /**
   * A thread skips hashing the token it hashed last, so the digest it hands out must still be that
   * very token's: a token one character away, right after it, gets its own.
   */
  @Test
  void aRepeatedTokenKeepsItsOwnDigestAndANeighbourGetsAnother() throws Exception {
    String token = token(Duration.ofMinutes(5));
    String lastCharacterChanged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
    String endsAa = token.substring(0, token.length() - 2) + "Aa";
    String endsBb = token.substring(0, token.length() - 2) + "BB";
    assertThat(endsAa.hashCode()).as("same length, prefix and hash code").isEqualTo(endsBb.hashCode());
    String other = token(Duration.ofMinutes(5));

    List<String> sequence =
        List.of(token, token, lastCharacterChanged, token, endsAa, endsBb, endsAa, other, other, token);
    for (int i = 0; i < sequence.size(); i++) {
      assertThat(VerifiedTokenCache.TokenDigest.of(sequence.get(i))).as("token %d of the sequence", i)
          .isEqualTo(sha256(sequence.get(i)));
    }
  }

  private static VerifiedTokenCache.TokenDigest sha256(String token) throws Exception {
    ByteBuffer h = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    return new VerifiedTokenCache.TokenDigest(h.getLong(), h.getLong(), h.getLong(), h.getLong());
  }

  @Test
  void zeroSizedCacheChecksEverySignature() {
    TokenVerifier verifier = started(0, Duration.ofSeconds(30));
    String token = token(Duration.ofMinutes(5));
    Await.result(verifier.verify(token));
    Await.result(verifier.verify(token));
    assertThat(verifier.signatureVerifications()).isEqualTo(2);
    verifier.close();
  }

  private TokenVerifier started(long cacheSize, Duration skew) {
    TokenVerifier verifier = TokenVerifier.create(vertx,
        List.of(TestIssuer.jwksUrl("idp", ISS, idp.url()).clockSkew(skew).build()), clock, null, cacheSize);
    verifier.start();
    Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
    return verifier;
  }

  private String token(Duration ttl) {
    return Tokens.sign(key, JWSAlgorithm.RS256, "k1", Tokens.claims(ISS, "alice", "tollgate", ttl)
        .jwtID(java.util.UUID.randomUUID().toString()).build());
  }
}
