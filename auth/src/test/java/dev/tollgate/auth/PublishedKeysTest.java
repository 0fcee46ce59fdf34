package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A published key verifies only what it is for: its type, curve, and its own use and alg. */
class PublishedKeysTest {
  private static final String ISS = "https://keys.example/";
  private static final RSAKey PLAIN_RSA = rsa(new RSAKeyGenerator(2048).keyID("rsa"));
  private static final RSAKey RS256_ONLY = rsa(new RSAKeyGenerator(2048).keyID("rs256").algorithm(JWSAlgorithm.RS256));
  private static final RSAKey FOR_ENCRYPTION = rsa(new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION));
  private static final ECKey P256 = ec(Curve.P_256, "p256");
  private static final ECKey P384 = ec(Curve.P_384, "p384");

  private static Vertx vertx;
  private static JwksServer idp;
  private static TokenVerifier verifier;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    idp = JwksServer.start(vertx, 0, jwks(PLAIN_RSA, RS256_ONLY, FOR_ENCRYPTION, P256, P384));
    verifier = TokenVerifier.create(vertx, List.of(TestIssuer.jwksUrl("keys", ISS, idp.url()).build()),
        TestClock.atSystemTime(), null);
    verifier.start();
    Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    verifier.close();
    idp.close();
    Await.result(vertx.close());
  }

  static Stream<Arguments> keyUses() {
    return Stream.of(
        argumentSet("RS256 with an RSA key", PLAIN_RSA, JWSAlgorithm.RS256, "rsa", null),
        argumentSet("PS384 with an RSA key", PLAIN_RSA, JWSAlgorithm.PS384, "rsa", null),
        argumentSet("RS512 with a key published for RS256", RS256_ONLY, JWSAlgorithm.RS512, "rs256", "cannot verify RS512"),
        argumentSet("RS256 with a key published for RS256", RS256_ONLY, JWSAlgorithm.RS256, "rs256", null),
        argumentSet("a key published for encryption", FOR_ENCRYPTION, JWSAlgorithm.RS256, "enc", "cannot verify RS256"),
        argumentSet("ES256 with a P-256 key", P256, JWSAlgorithm.ES256, "p256", null),
        argumentSet("ES384 with a P-384 key", P384, JWSAlgorithm.ES384, "p384", null),
        argumentSet("ES256 claiming the P-384 key", P256, JWSAlgorithm.ES256, "p384", "cannot verify ES256"),
        argumentSet("RS256 claiming an EC key", PLAIN_RSA, JWSAlgorithm.RS256, "p256", "cannot verify RS256"),
        argumentSet("no kid: tried against every fitting key", P384, JWSAlgorithm.ES384, null, null));
  }

  @ParameterizedTest
  @MethodSource("keyUses")
  void keyVerifiesOnlyWhatItIsFor(JWK signingKey, JWSAlgorithm alg, String kid, String rejection) {
    String token = Tokens.sign(signingKey, alg, kid, Tokens.claims(ISS, "alice", "tollgate", Duration.ofMinutes(5)).build());
    if (rejection == null) {
      assertThat(Await.result(verifier.verify(token)).subject()).isEqualTo("alice");
    } else {
      assertThat(Await.rejection(verifier.verify(token)).reason()).contains(rejection);
    }
  }

  @Test
  void jwksWithOnlyWeakRsaKeysIsNotUsable() {
    RSAKey weak = rsa(new RSAKeyGenerator(1024, true).keyID("weak"));
    try (JwksServer weakIdp = JwksServer.start(vertx, 0, jwks(weak))) {
      TokenVerifier v = TokenVerifier.create(vertx, List.of(TestIssuer.jwksUrl("weak", ISS, weakIdp.url()).build()),
          TestClock.atSystemTime(), null);
      v.start();
      Await.until("load failed", () -> v.status().get(0).lastError() != null, Duration.ofSeconds(10));
      assertThat(v.ready()).isFalse();
      assertThat(v.status().get(0).lastError()).contains("no usable signing key");
      v.close();
    }
  }

  private static String jwks(JWK... keys) {
    return new JWKSet(Stream.of(keys).map(JWK::toPublicJWK).toList()).toString();
  }

  private static RSAKey rsa(com.nimbusds.jose.jwk.gen.JWKGenerator<RSAKey> generator) {
    try {
      return generator.generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey ec(Curve curve, String kid) {
    try {
      return new ECKeyGenerator(curve).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
