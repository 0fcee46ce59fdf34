package dev.tollgate.proxy.upstream;

import dev.tollgate.proxy.Tollgate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.auth.upstream.UpstreamCredential;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the upstream connection tests share: a Vert.x with one event loop (so that a pool_size is
 * the bound on that loop's connections), a {@link RawBackend}, a static credential, and helpers
 * that send the way a request handler does, from an event-loop context.
 */
abstract class UpstreamHarness {
  @TempDir Path dir;
  Vertx vertx;
  RawBackend backend;
  final List<Upstream> upstreams = new ArrayList<>();
  /** How long upstreams made by the test keep an idle connection. */
  Duration idle = ConnectionPool.IDLE;

  @BeforeEach
  void start() throws Exception {
    // One event loop, so that a pool_size is the bound on that loop's connections.
    vertx = Tollgate.newVertx(new VertxOptions().setEventLoopPoolSize(1));
    backend = new RawBackend(vertx);
    Files.writeString(dir.resolve("token"), "tollgate-credential");
  }

  @AfterEach
  void stop() throws Exception {
    for (Upstream u : upstreams) {
      await(u.close());
    }
    await(vertx.close());
  }

  Upstream upstream(String url, int poolSize, Duration timeout) throws Exception {
    return upstream(url, poolSize, timeout, null);
  }

  Upstream upstream(String url, int poolSize, Duration timeout, TrustManagerFactory trust) throws Exception {
    return upstream(url, poolSize, timeout, trust, "X-Scope-OrgID", "authorization");
  }

  Upstream upstream(String url, int poolSize, Duration timeout, TrustManagerFactory trust, String tenantHeader,
      String credentialHeader) throws Exception {
    URI u = URI.create(url);
    UpstreamConfig config = new UpstreamConfig("backend", u,
        new CredentialConfig.StaticFile(dir.resolve("token"), credentialHeader,
            "authorization".equals(credentialHeader) ? "Bearer" : null, Duration.ofHours(1)),
        tenantHeader, timeout, poolSize);
    UpstreamCredential credential = UpstreamCredential.create(vertx, Clock.systemUTC(), config.credential(), u, null);
    await(credential.start());
    Upstream up = new Upstream(vertx, config, credential, trust, idle);
    upstreams.add(up);
    return up;
  }

  static UpstreamRequest get(String target) {
    return UpstreamRequest.get(target, null, null, UpstreamRequest.DEFAULT_MAX_RESPONSE);
  }

  UpstreamReply send(Upstream up, UpstreamRequest r) throws Exception {
    return sendAsync(up, r).get(10, TimeUnit.SECONDS);
  }

  /** Sends from an event-loop context, the way a request handler does. */
  CompletableFuture<UpstreamReply> sendAsync(Upstream up, UpstreamRequest r) {
    CompletableFuture<UpstreamReply> reply = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> up.send(r).onComplete(ar -> {
      if (ar.succeeded()) {
        reply.complete(ar.result());
      } else {
        reply.completeExceptionally(ar.cause());
      }
    }));
    return reply;
  }

  static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
