package dev.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key loads start on whatever thread asks: {@code main} at startup, a test thread, a worker. Vert.x
 * answers on the client's event loop, which may read the whole response before the asking thread
 * runs again; a load must still end with the JWKS. Counted on a real JWKS endpoint on loopback.
 */
class JwksLoadFromAnyThreadTest {
  private static final int CALLERS = 3;
  private static final int LOADS_PER_CALLER = 300;

  private final RSAKey callerKey = Tokens.rsa("caller");
  private Vertx vertx;
  private JwksServer idp;
  private HttpClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    idp = JwksServer.start(vertx, 0, Tokens.jwks(Tokens.rsa("k1")));
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() {
    client.close();
    idp.close();
    Await.result(vertx.close());
  }

  @Test
  void everyLoadStartedOffTheEventLoopGetsItsBody() throws InterruptedException {
    JwksFetcher fetcher = JwksFetcher.jwksUrl(client, URI.create(idp.url()));
    List<String> stalls = new ArrayList<>();
    List<Thread> callers = new ArrayList<>();
    for (int c = 0; c < CALLERS; c++) {
      Thread caller = new Thread(() -> {
        for (int i = 0; i < LOADS_PER_CALLER; i++) {
          burnCpuLikeAVerifier();
          String stall = stall(fetcher.load());
          if (stall != null) {
            synchronized (stalls) {
              stalls.add(Thread.currentThread().getName() + ", load " + i + ": " + stall);
            }
            return;
          }
        }
      }, "caller-" + c);
      caller.start();
      callers.add(caller);
    }
    for (Thread caller : callers) {
      caller.join();
    }

    assertThat(stalls).isEmpty();
    assertThat(idp.requests()).isEqualTo(CALLERS * LOADS_PER_CALLER);
  }

  /**
   * A thread that has just used its share of CPU (the test signing tokens, a verifier parsing them)
   * is the one the scheduler sets aside when it wakes the event loop; that is what lets the loop read
   * the whole answer before the caller finishes starting its load. Without it the race is rare.
   */
  private void burnCpuLikeAVerifier() {
    for (int i = 0; i < 3; i++) {
      Tokens.sign(callerKey, JWSAlgorithm.RS256, "caller", new JWTClaimsSet.Builder().subject("alice").build());
    }
  }

  /** Null when the load brought the JWKS within 5 s (a loopback answer takes about a millisecond; the bug hung for good). */
  private static String stall(Future<String> load) {
    try {
      String jwks = load.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      return jwks.contains("\"k1\"") ? null : "unexpected body " + jwks;
    } catch (TimeoutException e) {
      return "no answer within 5 s";
    } catch (ExecutionException e) {
      return "failed: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
