package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tollgate.auth.AuthenticationException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An IdP that accepts the connection and never answers holds a key load for {@link JwksFetcher#DEADLINE}
 * at most: then the load fails, its connection is closed, and a sender waiting on the refetch hears a
 * retryable 503. Real sockets on loopback; the rate limit on a test clock.
 */
class StalledIdpTest {
  private static final String ISS = "https://idp.example/realm";
  private static final Duration MIN_REFETCH = Duration.ofSeconds(30);
  /** Slack for a loaded CI machine; far below the 10 s the old idle timeout took. */
  private static final Duration LATE = Duration.ofMillis(3000);

  private final RSAKey key1 = Tokens.rsa("k1");
  private final RSAKey key2 = Tokens.rsa("k2");
  private final TestClock clock = TestClock.atSystemTime();
  private final AtomicInteger connectionsClosed = new AtomicInteger();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aLoadFromAnIdpThatAcceptsAndNeverAnswersFailsAtItsDeadline() {
    NetServer silent = Await.result(vertx.createNetServer()
        .connectHandler(socket -> socket.closeHandler(v -> connectionsClosed.incrementAndGet()))
        .listen(0, "127.0.0.1"));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    Duration deadline = Duration.ofMillis(300);
    JwksFetcher fetcher = JwksFetcher.jwksUrl(client, URI.create("http://127.0.0.1:" + silent.actualPort() + "/jwks"))
        .withDeadline(deadline);

    long started = System.nanoTime();
    Throwable failure = Await.failure(fetcher.load());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(failure).hasMessageEndingWith("/jwks: no complete answer within 300 ms");
    assertThat(took).isBetween(deadline.minusMillis(50), deadline.plus(LATE));
    Await.until("the stalled connection closed", () -> connectionsClosed.get() == 1, Duration.ofSeconds(5));
  }

  @Test
  void aSenderWaitingOnAStalledRefetchHears503AtTheDeadline() {
    HoldingIdp idp = new HoldingIdp(Tokens.jwks(key1));
    TokenVerifier verifier = TokenVerifier.create(vertx, List.of(TestIssuer.jwksUrl("idp", ISS, idp.url())
        .minRefetch(MIN_REFETCH).build()), clock, null);
    verifier.start();
    Await.until("keys loaded", verifier::ready, Duration.ofSeconds(10));
    idp.hold();
    clock.advance(MIN_REFETCH);
    String rotated = token(key2);

    long started = System.nanoTime();
    AuthenticationException e = Await.rejection(verifier.verify(rotated));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(e.kind()).as(e.reason()).isEqualTo(Kind.KEYS_UNAVAILABLE);
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(took).isBetween(JwksFetcher.DEADLINE.minusMillis(100), JwksFetcher.DEADLINE.plus(LATE));
    assertThat(verifier.status().get(0).lastError()).endsWith("no complete answer within 3000 ms");
    Await.until("the stalled connection closed", () -> connectionsClosed.get() == 1, Duration.ofSeconds(5));

    idp.answer(Tokens.jwks(key1, key2));
    Await.until("the retry after the failed load brought k2", () -> verifier.status().get(0).keys() == 2,
        Duration.ofSeconds(10));
    assertThat(Await.result(verifier.verify(rotated)).subject()).isEqualTo("alice");
    verifier.close();
  }

  private String token(RSAKey key) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISS).subject("alice").audience("tollgate")
        .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1))))
        .build();
    return Tokens.sign(key, JWSAlgorithm.RS256, key.getKeyID(), claims);
  }

  /** A JWKS endpoint that answers until told to hold, then keeps each request open without a byte. */
  private final class HoldingIdp {
    private final HttpServer server;
    private volatile String jwks;

    HoldingIdp(String jwks) {
      this.jwks = jwks;
      this.server = Await.result(vertx.createHttpServer().requestHandler(request -> {
        String body = this.jwks;
        if (body == null) {
          request.connection().closeHandler(v -> connectionsClosed.incrementAndGet());
        } else {
          request.response().putHeader("content-type", "application/json").end(body);
        }
      }).listen(0, "127.0.0.1"));
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/jwks";
    }

    void hold() {
      jwks = null;
    }

    void answer(String newJwks) {
      jwks = newJwks;
    }
  }
}
