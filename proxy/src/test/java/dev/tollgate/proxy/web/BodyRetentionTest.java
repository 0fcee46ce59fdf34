package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body read by {@link BodyReader} is garbage as soon as the endpoint lets go of it, not only when
 * the exchange ends: a large upload waiting on its upstream must not keep its raw bytes alive next
 * to the rewritten copy being sent.
 */
class BodyRetentionTest {
  @TempDir Path dir;
  RoutesServer routes;
  final Holding endpoint = new Holding();

  /** Reads the body, remembers it weakly, and answers only when told: an upstream in flight. */
  static final class Holding implements Endpoint {
    final CompletableFuture<WeakReference<byte[]>> read = new CompletableFuture<>();
    volatile Exchange held;
    volatile Context context;

    @Override
    public boolean matches(String path) {
      return path.equals("/hold");
    }

    @Override
    public void handle(Exchange x) {
      held = x;
      context = Vertx.currentContext();
      BodyReader.read(x, 1 << 20).onComplete(x.guard(ar -> {
        x.bodyRead();
        read.complete(new WeakReference<>(ar.result().bytes()));
      }));
    }
  }

  @BeforeEach
  void start() throws Exception {
    routes = RoutesServer.start(dir, List.of(endpoint), 4 << 20);
  }

  @AfterEach
  void stop() throws Exception {
    routes.close();
  }

  @Test
  void theBodyIsGarbageWhileTheExchangeIsStillOpen() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
        HttpRequest.newBuilder(URI.create(routes.url("/hold")))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[512 * 1024])).build(),
        HttpResponse.BodyHandlers.ofString());
    WeakReference<byte[]> body = endpoint.read.get(10, TimeUnit.SECONDS);

    for (int i = 0; i < 50 && body.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(body.get()).as("the request's bytes, with the exchange still open").isNull();
    assertThat(answer).isNotDone();

    Exchange x = endpoint.held;
    endpoint.context.runOnContext(v -> x.respond(200, "text/plain", null));
    assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }
}
