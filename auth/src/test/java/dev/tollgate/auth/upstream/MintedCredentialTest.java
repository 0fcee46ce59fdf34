package dev.tollgate.auth.upstream;

import dev.tollgate.auth.TestClock;
import dev.tollgate.auth.Await;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tollgate.auth.Caller;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.IdentityConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Minted tokens: their claims, checked by nimbus against the published key set; EdDSA by the JDK. */
class MintedCredentialTest {
  static final URI UPSTREAM = URI.create("https://collector.example:4318");
  static Vertx vertx;
  final TestClock clock = TestClock.atSystemTime();
  final Caller alice = new Caller("alice", "shop-collector", "https://idp.example", "corp", Set.of("shop"),
      clock.instant().plus(Duration.ofHours(1)));

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  MintingKeys keys() {
    return new MintingKeys(vertx, new IdentityConfig("https://tollgate.example", "tollgate-prod",
        Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofSeconds(30)), clock);
  }

  MintedCredential credential(MintingKeys keys, String alg) {
    MintedCredential c = new MintedCredential(vertx, new CredentialConfig.Minted(alg, null, Duration.ofMinutes(2),
        "Authorization", "Bearer"), UPSTREAM, keys, clock);
    Await.result(keys.start());
    return c;
  }

  SignedJWT mint(MintedCredential c, String project) throws Exception {
    Presentation p = Await.result(c.present(new OnBehalfOf(alice, "the-callers-token", project)));
    return SignedJWT.parse(p.value().substring("Bearer ".length()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ES256", "RS256"})
  void tokensCarryTheirClaimsAndVerifyWithThePublishedKeys(String alg) throws Exception {
    MintingKeys keys = keys();
    SignedJWT jwt = mint(credential(keys, alg), "shop");

    DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
    verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.parse(alg),
        new ImmutableJWKSet<>(JWKSet.parse(keys.published().json()))));
    verifier.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(UPSTREAM.toString(),
        new JWTClaimsSet.Builder().issuer("https://tollgate.example").subject("tollgate-prod").build(),
        Set.of("jti", "iat", "exp")) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    });
    JWTClaimsSet claims = verifier.process(jwt, null);

    assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "alice", "iss", "https://idp.example",
        "client_id", "shop-collector"));
    assertThat(claims.getStringClaim("project")).isEqualTo("shop");
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
    assertThat(JWKSet.parse(keys.published().json()).getKeys()).as("public keys only").noneMatch(JWK::isPrivate);
    assertThat(jwt.serialize()).doesNotContain("the-callers-token");
  }

  @Test
  void edDsaTokensVerifyWithTheJdkAgainstThePublishedKey() throws Exception {
    MintingKeys keys = keys();
    SignedJWT jwt = mint(credential(keys, "EdDSA"), "shop");

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    OctetKeyPair published = (OctetKeyPair) JWKSet.parse(keys.published().json()).getKeyByKeyId(jwt.getHeader().getKeyID());
    // Ed25519 SubjectPublicKeyInfo: a fixed 12-byte header, then the raw key the JWK calls x.
    byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(published.getDecodedX()));
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    Signature ed = Signature.getInstance("Ed25519");
    ed.initVerify(key);
    ed.update(jwt.getSigningInput());
    assertThat(ed.verify(jwt.getSignature().decode())).isTrue();
    ed.initVerify(key);
    ed.update((new String(jwt.getSigningInput(), StandardCharsets.US_ASCII) + "x").getBytes(StandardCharsets.US_ASCII));
    assertThat(ed.verify(jwt.getSignature().decode())).as("a changed token does not verify").isFalse();
  }

  @Test
  void oneTokenPerCallerAndProjectIsReusedForHalfItsLifetime() throws Exception {
    MintedCredential c = credential(keys(), "ES256");
    SignedJWT first = mint(c, "shop");

    assertThat(mint(c, "shop").serialize()).isEqualTo(first.serialize());
    assertThat(mint(c, "payments").getJWTClaimsSet().getStringClaim("project")).isEqualTo("payments");
    clock.advance(Duration.ofMinutes(1));
    assertThat(mint(c, "shop").getJWTClaimsSet().getJWTID()).isNotEqualTo(first.getJWTClaimsSet().getJWTID());
    assertThat(c.metrics().snapshot(clock.instant()).refreshes()).isEqualTo(3);
  }

  @Test
  void signsOffTheEventLoopOnceForABurstAndServesReuseOnIt() throws Exception {
    MintedCredential c = credential(keys(), "RS256");
    OnBehalfOf who = new OnBehalfOf(alice, null, "shop");
    Context loop = vertx.getOrCreateContext();
    CompletableFuture<List<Future<Presentation>>> burst = new CompletableFuture<>();

    loop.runOnContext(v -> {
      List<Future<Presentation>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(c.present(who));
      }
      burst.complete(all);
    });

    List<Presentation> presented = new ArrayList<>();
    for (Future<Presentation> f : burst.get(10, TimeUnit.SECONDS)) {
      presented.add(Await.result(f));
    }
    assertThat(c.lastSigningThread()).as("signing was handed to a worker")
        .isNotNull().doesNotContain("eventloop");
    assertThat(presented).extracting(Presentation::value).containsOnly(presented.get(0).value());
    assertThat(c.metrics().snapshot(clock.instant()).refreshes()).as("one signature for the burst").isEqualTo(1);

    CompletableFuture<Boolean> reusedOnTheLoop = new CompletableFuture<>();
    loop.runOnContext(v -> reusedOnTheLoop.complete(c.present(who).isComplete()));
    assertThat(reusedOnTheLoop.get(10, TimeUnit.SECONDS)).as("a cached token costs no hop").isTrue();
  }

  @Test
  void renewalMintsAFreshToken() throws Exception {
    MintedCredential c = credential(keys(), "ES256");
    OnBehalfOf who = new OnBehalfOf(alice, null, "shop");
    Presentation refused = Await.result(c.present(who));

    assertThat(Await.result(c.renew(who, refused)).sameSecret(refused)).isFalse();
  }

  @Test
  void nothingIsMintedBeforeTheFirstKeyExists() {
    MintedCredential c = new MintedCredential(vertx, new CredentialConfig.Minted("ES256", null, Duration.ofMinutes(2),
        "Authorization", "Bearer"), UPSTREAM, keys(), clock);

    assertThat(c.ready()).isFalse();
    assertThat(Await.failure(c.present(OnBehalfOf.NOBODY))).isInstanceOf(CredentialUnavailable.class);
  }
}
