package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the IdP sees: counted on a real JWKS endpoint on loopback, with the rate limit on a test clock. */
class JwksRefetchTest {
  private static final String ISS = "https://idp.example/realm";
  private static final Duration MIN_REFETCH = Duration.ofSeconds(30);

  private final RSAKey key1 = Tokens.rsa("k1");
  private final RSAKey key2 = Tokens.rsa("k2");
  private final TestClock clock = TestClock.atSystemTime();
  private Vertx vertx;
  private TokenVerifier verifier;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (verifier != null) {
      verifier.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void burstOfUnknownKidsCostsOneFetchPerInterval() {
    try (JwksServer idp = JwksServer.start(vertx, 0, jwks(key1))) {
      verifier = started(TestIssuer.jwksUrl("idp", ISS, idp.url()).minRefetch(MIN_REFETCH));
      Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
      assertThat(idp.requests()).isEqualTo(1);

      clock.advance(MIN_REFETCH.plusSeconds(1));
      Instant longAgo = clock.instant().minus(Duration.ofMinutes(5));
      assertThat(burstOfUnknownKids(500, longAgo)).allMatch(e -> e.reason().startsWith("unknown signing key"));
      assertThat(idp.requests()).isEqualTo(2);

      assertThat(burstOfUnknownKids(500, clock.instant()))
          .as("signed after the last fetch: the key may be new, so retry")
          .allMatch(e -> e.kind() == AuthenticationException.Kind.KEYS_UNAVAILABLE);
      assertThat(idp.requests()).as("still inside the interval").isEqualTo(2);
      assertThat(verifier.jwksFetches("idp")).isEqualTo(2);
    }
  }

  @Test
  void rotatedKeyIsPickedUpByTheNextAllowedRefetch() {
    try (JwksServer idp = JwksServer.start(vertx, 0, jwks(key1))) {
      verifier = started(TestIssuer.jwksUrl("idp", ISS, idp.url()).minRefetch(MIN_REFETCH));
      Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
      idp.serve(jwks(key1, key2));
      String rotated = token(key2, "k2");

      AuthenticationException early = Await.rejection(verifier.verify(rotated));
      assertThat(early.httpStatus()).as("retryable, so OTLP senders keep their data").isEqualTo(503);
      assertThat(early.reason()).isEqualTo("signing key (kid 'k2') is not among the keys of issuer idp fetched so"
          + " far; they are refetched at most every 30s, retry later");
      assertThat(idp.requests()).as("rate limited right after the first load").isEqualTo(1);

      clock.advance(MIN_REFETCH);
      assertThat(Await.result(verifier.verify(rotated)).subject()).isEqualTo("alice");
      assertThat(idp.requests()).isEqualTo(2);
    }
  }

  @Test
  void callerJoiningAnInFlightRefetchGetsItsAnswerOnItsOwnContext() {
    try (JwksServer idp = JwksServer.start(vertx, 0, jwks(key1))) {
      verifier = started(TestIssuer.jwksUrl("idp", ISS, idp.url()).minRefetch(MIN_REFETCH));
      Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
      idp.serve(jwks(key1, key2));
      idp.delay(300);
      clock.advance(MIN_REFETCH);
      Context first = vertx.getOrCreateContext();
      Context second = vertx.getOrCreateContext();
      Promise<Context> firstAnswered = Promise.promise();
      Promise<Context> secondAnswered = Promise.promise();

      first.runOnContext(v -> verifier.verify(token(key2, "k2"))
          .onSuccess(c -> firstAnswered.complete(Vertx.currentContext())));
      Await.until("refetch under way", () -> idp.requests() == 2, Duration.ofSeconds(5));
      second.runOnContext(v -> verifier.verify(token(key2, "k2"))
          .onSuccess(c -> secondAnswered.complete(Vertx.currentContext())));

      assertThat(Await.result(firstAnswered.future())).isSameAs(first);
      assertThat(Await.result(secondAnswered.future())).isSameAs(second);
      assertThat(idp.requests()).as("both waited on one fetch").isEqualTo(2);
    }
  }

  @Test
  void startsWhileTheIdpIsDownAndBecomesReadyWithoutRestart() {
    int port = JwksServer.closedPort(vertx);
    verifier = TokenVerifier.create(vertx, List.of(
        TestIssuer.jwksUrl("idp", ISS, "http://127.0.0.1:" + port + "/jwks").build()), clock, null);

    Future<Void> started = verifier.start();
    assertThat(started.succeeded()).isTrue();
    assertThat(verifier.ready()).isFalse();
    Await.until("first load failed", () -> verifier.status().get(0).lastError() != null, Duration.ofSeconds(10));
    AuthenticationException early = Await.rejection(verifier.verify(token(key1, "k1")));
    assertThat(early.kind()).isEqualTo(AuthenticationException.Kind.KEYS_UNAVAILABLE);
    assertThat(early.httpStatus()).isEqualTo(503);

    try (JwksServer idp = JwksServer.start(vertx, port, jwks(key1))) {
      Await.until("ready after the IdP came up", verifier::ready, Duration.ofSeconds(10));
      assertThat(verifier.status().get(0).lastError()).isNull();
      assertThat(Await.result(verifier.verify(token(key1, "k1"))).subject()).isEqualTo("alice");
      assertThat(idp.requests()).isEqualTo(1);
    }
  }

  @Test
  void failedRefetchKeepsTheKeysThatWorked() {
    JwksServer idp = JwksServer.start(vertx, 0, jwks(key1));
    verifier = started(TestIssuer.jwksUrl("idp", ISS, idp.url()).minRefetch(MIN_REFETCH));
    Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
    String url = idp.url();
    idp.close();

    clock.advance(MIN_REFETCH);
    AuthenticationException e = Await.rejection(verifier.verify(token(key2, "k2")));
    assertThat(e.kind()).as("the IdP may have rotated while down")
        .isEqualTo(AuthenticationException.Kind.KEYS_UNAVAILABLE);
    assertThat(verifier.status().get(0).lastError()).contains("GET " + url);
    assertThat(verifier.ready()).isTrue();
    assertThat(Await.result(verifier.verify(token(key1, "k1"))).subject()).isEqualTo("alice");
  }

  @Test
  void jwksFileIsReadAgainWhenItChanges(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("jwks.json"), jwks(key1));
    verifier = started(TestIssuer.jwksFile("file", ISS, file).minRefetch(MIN_REFETCH));
    Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
    assertThat(Await.result(verifier.verify(token(key1, "k1"))).subject()).isEqualTo("alice");

    Files.writeString(dir.resolve("jwks.json"), jwks(key2));
    clock.advance(MIN_REFETCH);
    assertThat(Await.result(verifier.verify(token(key2, "k2"))).subject()).isEqualTo("alice");
  }

  private TokenVerifier started(TestIssuer issuer) {
    TokenVerifier v = TokenVerifier.create(vertx, List.of(issuer.build()), clock, null);
    v.start();
    return v;
  }

  private List<AuthenticationException> burstOfUnknownKids(int count, Instant issuedAt) {
    List<String> tokens = IntStream.range(0, count)
        .mapToObj(i -> Tokens.sign(key1, JWSAlgorithm.RS256, "rogue-" + UUID.randomUUID(),
            Tokens.claims(ISS, "alice", "tollgate", Duration.ofMinutes(10)).issueTime(Date.from(issuedAt)).build()))
        .toList();
    List<Future<Caller>> results = tokens.parallelStream().map(verifier::verify).toList();
    return results.stream().map(Await::rejection).toList();
  }

  private static String token(RSAKey key, String kid) {
    return Tokens.sign(key, JWSAlgorithm.RS256, kid, Tokens.claims(ISS, "alice", "tollgate", Duration.ofMinutes(5)).build());
  }

  private static String jwks(RSAKey... keys) {
    return Tokens.jwks(keys);
  }
}
