package dev.tollgate.proxy.upstream;

import dev.tollgate.proxy.Tollgate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.auth.upstream.UpstreamCredential;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.UpstreamConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream request's body is a pooled direct buffer that {@link Upstream#send} owns: it must
 * stay alive for every write of it, including a write still under way after the upstream answered
 * and a second write after a refused credential, and be released once nothing needs it.
 */
class UpstreamBodyTest {
  /** Far more than the loopback socket buffers take while the backend reads nothing. */
  static final int EARLY_BODY = 48 << 20;

  @TempDir Path dir;
  Vertx vertx;
  HttpServer backend;
  Upstream upstream;
  Path tokenFile;
  /** What the backend read, one entry per request that it read to the end. */
  final List<byte[]> received = new CopyOnWriteArrayList<>();
  /** A request the backend answered without reading its body, and the backend's context. */
  final CompletableFuture<HttpServerRequest> unread = new CompletableFuture<>();
  volatile Context backendContext;
  /** What Vert.x caught in handlers: a release too many throws there, unseen by the test. */
  final List<Throwable> unhandled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Tollgate.newVertx(new VertxOptions());
    vertx.exceptionHandler(unhandled::add);
    backend = vertx.createHttpServer().requestHandler(this::backend).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "first");
    URI url = URI.create("http://127.0.0.1:" + backend.actualPort() + "/");
    UpstreamConfig config = new UpstreamConfig("backend", url,
        new CredentialConfig.StaticFile(tokenFile, "authorization", "Bearer", Duration.ofHours(1)), null,
        Duration.ofSeconds(20), 2);
    UpstreamCredential credential = UpstreamCredential.create(vertx, Clock.systemUTC(), config.credential(), url,
        null);
    await(credential.start());
    upstream = new Upstream(vertx, config, credential);
  }

  @AfterEach
  void stop() throws Exception {
    await(upstream.close());
    await(vertx.close());
    assertThat(unhandled).isEmpty();
  }

  /** /early answers 413 at once and leaves the body unread; /v1/traces refuses the first token. */
  private void backend(HttpServerRequest req) {
    if (req.path().equals("/early")) {
      req.pause();
      backendContext = Vertx.currentContext();
      req.response().setStatusCode(413).end("too large");
      unread.complete(req);
      return;
    }
    req.body().onSuccess(body -> {
      received.add(body.getBytes());
      boolean refused = "Bearer first".equals(req.getHeader("authorization"));
      req.response().setStatusCode(refused ? 401 : 200).end();
    });
  }

  /** Direct, as a large batch is; on the heap, as every small batch is (sent with its head in one buffer). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(booleans = {true, false})
  void aBodyIsReleasedOnceTheUpstreamHasIt(boolean direct) throws Exception {
    Files.writeString(tokenFile, "second"); // read on renewal, after the backend refuses "first"
    byte[] bytes = random(300 * 1024);
    ByteBuf body = direct ? direct(bytes) : Unpooled.buffer(bytes.length).writeBytes(bytes);

    UpstreamReply reply = send(UpstreamRequest.post("/v1/traces", "application/x-protobuf", body, null, null));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(received).as("the refused write and the renewed one").hasSize(2);
    assertThat(received.get(0)).isEqualTo(bytes);
    assertThat(received.get(1)).isEqualTo(bytes);
    eventually(() -> body.refCnt() == 0, "the body is released");
  }

  @Test
  void anAnswerBeforeTheBodyIsWrittenLeavesTheBodyToTheWrite() throws Exception {
    byte[] bytes = random(EARLY_BODY);
    ByteBuf body = direct(bytes);

    UpstreamReply reply = send(UpstreamRequest.post("/early", "application/x-protobuf", body, null, null));

    assertThat(reply.status()).isEqualTo(413);
    assertThat(body.refCnt()).as("the write still under way holds the body").isEqualTo(1);
    HttpServerRequest req = unread.get(10, TimeUnit.SECONDS);
    CompletableFuture<byte[]> late = new CompletableFuture<>();
    backendContext.runOnContext(v -> {
      req.body().onSuccess(b -> late.complete(b.getBytes())).onFailure(late::completeExceptionally);
      req.resume();
    });
    assertThat(late.get(20, TimeUnit.SECONDS)).as("the bytes the backend read after answering").isEqualTo(bytes);
    eventually(() -> body.refCnt() == 0, "the body is released when its write ends");
  }

  @Test
  void aWriteCutShortReleasesTheBody() throws Exception {
    ByteBuf body = direct(random(EARLY_BODY));

    UpstreamReply reply = send(UpstreamRequest.post("/early", "application/x-protobuf", body, null, null));

    assertThat(reply.status()).isEqualTo(413);
    assertThat(body.refCnt()).isEqualTo(1);
    HttpServerRequest req = unread.get(10, TimeUnit.SECONDS);
    backendContext.runOnContext(v -> req.connection().close());
    eventually(() -> body.refCnt() == 0, "the body is released when its write fails");
  }

  private UpstreamReply send(UpstreamRequest request) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<UpstreamReply> reply = new CompletableFuture<>();
    context.runOnContext(v -> upstream.send(request).onComplete(ar -> {
      if (ar.succeeded()) {
        reply.complete(ar.result());
      } else {
        reply.completeExceptionally(ar.cause());
      }
    }));
    return reply.get(30, TimeUnit.SECONDS);
  }

  private static ByteBuf direct(byte[] bytes) {
    ByteBuf body = ByteBufAllocator.DEFAULT.directBuffer(bytes.length, bytes.length);
    return body.writeBytes(bytes);
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
