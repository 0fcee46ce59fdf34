package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tollgate.auth.Caller;
import dev.tollgate.auth.TokenVerifier;
import dev.tollgate.config.ClaimMapping;
import dev.tollgate.config.IssuerConfig;
import dev.tollgate.config.KeySource;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector's OIDC authenticator is pointed at {@code identity.issuer}: it reads
 * {@code <issuer>/.well-known/openid-configuration}, then the {@code jwks_uri} it names, and must then
 * verify the tokens Tollgate mints. Two such verifiers: nimbus, and Tollgate's own (as a second
 * Tollgate in front of the collector would run it).
 */
class DiscoveryDocumentTest {
  static final String DISCOVERY = "/.well-known/openid-configuration";
  @TempDir static Path dir;
  static TwoIssuerFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new TwoIssuerFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void documentNamesTheIssuerItsKeysAndAlgorithmsAndIsCacheable() throws Exception {
    HttpResponse<String> r = f.get(DISCOVERY);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.headers().firstValue("cache-control")).hasValueSatisfying(v -> assertThat(v).startsWith("public, max-age="));
    JsonObject doc = new JsonObject(r.body());
    assertThat(doc.getString("issuer")).isEqualTo(f.identityIssuer());
    assertThat(doc.getString("jwks_uri")).isEqualTo(f.identityIssuer() + "/.well-known/jwks.json");
    assertThat(doc.getJsonArray("id_token_signing_alg_values_supported").getList()).containsExactly("ES256");
    String etag = r.headers().firstValue("etag").orElseThrow();
    assertThat(f.get(DISCOVERY, "if-none-match", etag).statusCode()).isEqualTo(304);
  }

  @Test
  void aVerifierThatDiscoversTheKeysVerifiesAMintedToken() throws Exception {
    SignedJWT minted = mintedToken();
    JsonObject doc = new JsonObject(f.http.send(java.net.http.HttpRequest.newBuilder(
        URI.create(f.identityIssuer() + DISCOVERY)).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(doc.getString("issuer")).isEqualTo(f.identityIssuer());
    Set<JWSAlgorithm> algorithms = doc.getJsonArray("id_token_signing_alg_values_supported").stream()
        .map(a -> JWSAlgorithm.parse((String) a)).collect(Collectors.toSet());

    DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
    verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms,
        JWKSourceBuilder.create(URI.create(doc.getString("jwks_uri")).toURL()).retrying(false).build()));
    verifier.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("http://127.0.0.1:" + f.collector.port(),
        new JWTClaimsSet.Builder().issuer(doc.getString("issuer")).subject("tollgate-test").build(),
        Set.of("jti", "iat", "exp")));
    JWTClaimsSet claims = verifier.process(minted, null);

    assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", "shop-collector");
    assertThat(claims.getStringClaim("project")).isEqualTo("minted");
  }

  @Test
  void tollgatesOwnVerifierDiscoversTheKeysToo() throws Exception {
    String minted = mintedToken().serialize();
    IssuerConfig upstreamTollgate = new IssuerConfig("tollgate", f.identityIssuer(),
        new KeySource.Discovery(URI.create(f.identityIssuer() + DISCOVERY)),
        List.of("http://127.0.0.1:" + f.collector.port()), false, Set.of("ES256"), Duration.ofSeconds(30),
        Duration.ofMinutes(5), Duration.ofSeconds(30), ClaimMapping.DEFAULT);
    TokenVerifier verifier = TokenVerifier.create(f.vertx, List.of(upstreamTollgate), Clock.systemUTC(), null);
    try {
      verifier.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!verifier.ready() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(verifier.status().get(0).lastError()).isNull();
      Caller caller = verifier.verify(minted).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(caller.subject()).isEqualTo("tollgate-test");
      assertThat(caller.issuerName()).isEqualTo("tollgate");
    } finally {
      verifier.close();
    }
  }

  /** Sends one export to the minted upstream as corp's shop-collector; the token the collector got. */
  static SignedJWT mintedToken() throws Exception {
    f.collector.reset();
    HttpResponse<byte[]> r = f.export("minted", f.token("corp", "shop-collector", Map.of("azp", "shop-collector")));
    assertThat(r.statusCode()).isEqualTo(200);
    String auth = f.collector.await(1).get(0).headers().get("authorization");
    return SignedJWT.parse(auth.substring("Bearer ".length()));
  }
}
