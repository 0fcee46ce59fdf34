package dev.tollgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import dev.tollgate.auth.upstream.UpstreamCredential;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tollgate's own connections to an upstream, against a backend that answers with raw bytes, so
 * that it can also answer the way real backends misbehave: keep-alive reuse and its bound, an
 * upstream that closes, answers nobody asked for, malformed and oversized answers, deadlines, the
 * headers Tollgate sets and the values it refuses to send, and TLS.
 */
class UpstreamConnectionTest {
  static final String OK = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok";

  @TempDir Path dir;
  Vertx vertx;
  Backend backend;
  final List<Upstream> upstreams = new ArrayList<>();
  /** How long upstreams made by the test keep an idle connection. */
  Duration idle = ConnectionPool.IDLE;

  @BeforeEach
  void start() throws Exception {
    // One event loop, so that a pool_size is the bound on that loop's connections.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    backend = new Backend();
    Files.writeString(dir.resolve("token"), "tollgate-credential");
  }

  @AfterEach
  void stop() throws Exception {
    for (Upstream u : upstreams) {
      await(u.close());
    }
    await(vertx.close());
  }

  @Test
  void requestsInTurnShareOneConnection() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      UpstreamReply reply = send(up, get("/ok"));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body().toString()).isEqualTo("ok");
      assertThat(reply.contentType()).isEqualTo("text/plain");
    }
    assertThat(backend.connections).hasValue(1);
  }

  @Test
  void concurrentRequestsWaitForTheirShareOfConnections() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 2, Duration.ofSeconds(5));
    List<CompletableFuture<UpstreamReply>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(sendAsync(up, get("/slow")));
    }
    for (CompletableFuture<UpstreamReply> r : replies) {
      assertThat(r.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(backend.requests).hasSize(6);
    assertThat(backend.connections).as("connections opened").hasValue(2);
    assertThat(backend.mostOpen).hasValue(2);
  }

  @Test
  void aConnectionTheUpstreamClosesIsNotUsedAgain() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/close")).status()).isEqualTo(200); // "connection: close", left open
    assertThat(send(up, get("/drop")).status()).isEqualTo(200); // kept alive, then closed while idle
    eventually(() -> backend.open.get() == 0, "both are closed");
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(3);
  }

  @Test
  void anIdleConnectionIsClosedInTime() throws Exception {
    idle = Duration.ofMillis(300);
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    long sent = System.nanoTime(); // the connection is idle from after this
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    eventually(() -> backend.open.get() == 0, "Tollgate closes the idle connection");
    assertThat(System.nanoTime() - sent).as("not before it was idle for 300 ms, and soon after")
        .isBetween(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(5));
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(2);
  }

  @Test
  void bytesNobodyAskedForCloseTheConnection() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/extra")).body().toString()).isEqualTo("ok");
    // The second answer that followed is never taken for the next request's.
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(2);
  }

  /** The bytes after an answer, in the same read, while another request waits for the connection. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"/extra-later", "/longer-later"})
  void bytesAfterAnAnswerAreNeverTheNextRequestsAnswer(String target) throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    CompletableFuture<UpstreamReply> first = sendAsync(up, get(target));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/ok"));
    assertThat(first.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(waiting.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).as("the connection that read too much is not used again").hasValue(2);
  }

  @Test
  void aWaitingRequestIsHandedTheConnectionThatFreesUp() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    CompletableFuture<UpstreamReply> slow = sendAsync(up, get("/slow"));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/ok"));
    assertThat(slow.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(waiting.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(1);
  }

  /** The upstream closes a kept-alive connection as the next request arrives on it, answering nothing. */
  @Test
  void aGetOnAConnectionClosedUnderItIsSentOnceMoreOnANewOne() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/then-close")).body().toString()).isEqualTo("ok");
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.requests).containsExactly("/then-close", "/ok", "/ok");
    assertThat(backend.connections).hasValue(2);
  }

  @Test
  void aPostOnAConnectionClosedUnderItIsNotSentTwice() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/then-close")).body().toString()).isEqualTo("ok");
    UpstreamRequest post = UpstreamRequest.post("/v1/traces", "application/x-protobuf",
        io.netty.buffer.Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII), null, null);
    assertThatThrownBy(() -> send(up, post)).cause().isInstanceOf(UpstreamFailed.class)
        .hasMessage("the upstream closed the connection before it answered");
    assertThat(backend.requests).as("the upstream may have taken it").containsExactly("/then-close", "/v1/traces");
  }

  @Test
  void anAnswerWithBothALengthAndChunksIsReadAsChunksAndItsConnectionClosed() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/both")).body().toString()).isEqualTo("ok");
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).as("RFC 9112 6.3: closed after such an answer").hasValue(2);
  }

  @Test
  void aNotModifiedAnswerHasNoBodyWhateverLengthItRepeats() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    UpstreamReply reply = send(up, UpstreamRequest.get("/not-modified", null, null, 100));
    assertThat(reply.status()).isEqualTo(304);
    assertThat(reply.body().length()).isZero();
    assertThat(send(up, get("/ok")).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(1);
  }

  @Test
  void informationalAnswersAreSkippedAndTheAnswersFactsKept() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 4, Duration.ofSeconds(5));
    assertThat(send(up, get("/continue")).body().toString()).isEqualTo("ok");
    UpstreamReply busy = send(up, get("/busy"));
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.retryAfter()).isEqualTo("7");
    assertThat(busy.body().length()).isZero();
    assertThat(send(up, get("/chunked")).body().toString()).isEqualTo("x".repeat(80) + "y".repeat(80));
    assertThat(backend.connections).hasValue(1);
  }

  /** Each broken answer fails its request, closes its connection, and the next request is served. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/hang       | UpstreamFailed   | upstream did not answer within 1000 ms",
      "/garbage    | UpstreamFailed   | the upstream's answer is not HTTP/1.1",
      "/short      | UpstreamFailed   | the upstream closed the connection before it answered",
      "/closed     | UpstreamFailed   | the upstream closed the connection before it answered",
      "/big        | ResponseTooLarge | upstream response larger than 100 bytes",
      "/bigchunked | ResponseTooLarge | upstream response larger than 100 bytes",
  })
  void aBrokenAnswerFailsOnlyItsRequest(String target, String failure, String reason) throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofMillis(1000));
    UpstreamRequest r = UpstreamRequest.get(target, null, null, 100);
    assertThatThrownBy(() -> send(up, r)).cause().satisfies(e -> {
      assertThat(e.getClass().getSimpleName()).isEqualTo(failure);
      assertThat(e.getMessage()).startsWith(reason);
    });
    eventually(() -> backend.open.get() == 0, "the failed connection is closed");
    assertThat(send(up, UpstreamRequest.get("/ok", null, null, 100)).body().toString()).isEqualTo("ok");
    assertThat(backend.connections).hasValue(2);
  }

  @Test
  void aRequestWaitingForAConnectionGivesUpAtItsDeadline() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofMillis(1000));
    CompletableFuture<UpstreamReply> hanging = sendAsync(up, get("/hang"));
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/hang"));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    Thread.sleep(100);
    assertThat(backend.connections).as("the second request waits, opening none").hasValue(1);
    for (CompletableFuture<UpstreamReply> r : List.of(hanging, waiting)) {
      assertThatThrownBy(() -> r.get(10, TimeUnit.SECONDS)).cause()
          .isInstanceOf(UpstreamFailed.class).hasMessage("upstream did not answer within 1000 ms");
    }
  }

  @Test
  void aWaitingRequestGetsANewConnectionWhenTheBusyOneIsClosed() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofMillis(1000));
    CompletableFuture<UpstreamReply> hanging = sendAsync(up, get("/hang"));
    eventually(() -> backend.requests.size() == 1, "the first request holds the only connection");
    Thread.sleep(300);
    CompletableFuture<UpstreamReply> waiting = sendAsync(up, get("/ok"));
    assertThatThrownBy(() -> hanging.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(UpstreamFailed.class);
    // The hanging exchange's connection is closed at its deadline; the waiting request gets a new one.
    assertThat(waiting.get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("ok");
    assertThat(backend.requests).containsExactly("/hang", "/ok");
    assertThat(backend.connections).hasValue(2);
  }

  @Test
  void anUpstreamThatCannotBeReachedFailsTheRequest() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Upstream up = upstream("http://127.0.0.1:" + closed + "/", 1, Duration.ofSeconds(5));
    assertThatThrownBy(() -> send(up, get("/ok"))).cause()
        .isInstanceOf(UpstreamFailed.class).hasMessageStartingWith("cannot connect to the upstream");
  }

  @Test
  void tollgateSetsItsOwnHeadersOnceAndSendsNoneOfTheCallers() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/base/", 1, Duration.ofSeconds(5));
    MultiMap extra = MultiMap.caseInsensitiveMultiMap()
        .add("User-Agent", "otel-collector/1.0")
        .add("X-Scope-OrgID", "someone-else")
        .add("Authorization", "Bearer the-callers-token")
        .add("Content-Length", "1")
        .add("Host", "elsewhere.example");
    UpstreamRequest r = new UpstreamRequest(io.vertx.core.http.HttpMethod.POST, "/v1/traces", "application/x-protobuf",
        io.netty.buffer.Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII), "shop", extra,
        UpstreamRequest.DEFAULT_MAX_RESPONSE, null);

    assertThat(send(up, r).status()).isEqualTo(200);

    assertThat(backend.heads).hasSize(1);
    String head = backend.heads.get(0);
    assertThat(head).startsWith("POST /base/v1/traces HTTP/1.1\r\n");
    assertThat(lines(head)).containsExactlyInAnyOrder(
        "host: 127.0.0.1:" + backend.port,
        "User-Agent: otel-collector/1.0",
        "content-type: application/x-protobuf",
        "content-length: 4",
        "authorization: Bearer tollgate-credential",
        "X-Scope-OrgID: shop");
    assertThat(backend.bodies).containsExactly("body");
  }

  /** Values that would end their line, one row a case: refused before anything is sent, and not quoted. */
  static Stream<Arguments> unsendable() {
    return Stream.of(
        Arguments.of(named("a header value with CR LF", "traceparent"), "00-SECRET\r\nx-evil: 1", "/ok"),
        Arguments.of(named("a header value with LF", "traceparent"), "00-SECRET\nx-evil: 1", "/ok"),
        Arguments.of(named("a header value with NUL", "traceparent"), "00-SECRET\u0000x-evil", "/ok"),
        Arguments.of(named("a header value with DEL", "traceparent"), "00-SECRET\u007f", "/ok"),
        Arguments.of(named("a header name with a colon", "x-evil:"), "SECRET", "/ok"),
        Arguments.of(named("a header name with a space", "x evil"), "SECRET", "/ok"),
        Arguments.of(named("a target with a line break", "user-agent"), "ua", "/SECRET HTTP/1.0\r\nx-evil: 1"),
        Arguments.of(named("a target outside ASCII", "user-agent"), "ua", "/SECRET/caf\u00e9"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsendable")
  void aValueHttpCannotCarryIsRefusedBeforeSending(String header, String value, String target) throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    UpstreamRequest r = UpstreamRequest.get(target, null, MultiMap.caseInsensitiveMultiMap().add(header, value), 100);
    assertThatThrownBy(() -> send(up, r)).cause()
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
    assertThat(backend.connections).as("nothing reached the upstream").hasValue(0);
  }

  /** A configured header that would repeat one of Tollgate's own is refused, never sent twice. */
  @Test
  void configuredHeadersCannotRepeatTollgatesOwn() throws Exception {
    String url = "http://127.0.0.1:" + backend.port + "/";
    assertThatThrownBy(() -> upstream(url, 1, Duration.ofSeconds(5), null, "Content-Length", "authorization"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant_header cannot be Content-Length");
    Upstream hostCredential = upstream(url, 1, Duration.ofSeconds(5), null, "X-Scope-OrgID", "Host");
    assertThatThrownBy(() -> send(hostCredential, get("/ok"))).cause()
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credential's header cannot be Host")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tollgate-credential"));
    Upstream sameAsTenant = upstream(url, 1, Duration.ofSeconds(5), null, "X-Scope-OrgID", "x-scope-orgid");
    assertThatThrownBy(() -> send(sameAsTenant, get("/ok"))).cause().isInstanceOf(IllegalArgumentException.class);
    assertThat(backend.connections).as("nothing reached the upstream").hasValue(0);
  }

  @Test
  void aCallerOffTheEventLoopsIsServedToo() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    UpstreamReply reply = up.send(get("/ok")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reply.body().toString()).isEqualTo("ok");
  }

  @Test
  void aClosedUpstreamClosesItsConnectionsAndRefusesRequests() throws Exception {
    Upstream up = upstream("http://127.0.0.1:" + backend.port + "/", 1, Duration.ofSeconds(5));
    send(up, get("/ok"));
    await(up.close());
    eventually(() -> backend.open.get() == 0, "the idle connection is closed");
    assertThatThrownBy(() -> send(up, get("/ok"))).cause()
        .isInstanceOf(UpstreamFailed.class).hasMessage("upstream client closed");
  }

  @Test
  void anHttpsUpstreamIsTrustedOnlyWithACertificateForItsName() throws Exception {
    Path store = keystore("SAN=ip:127.0.0.1");
    HttpServer tls = tlsBackend(store);
    String url = "https://127.0.0.1:" + tls.actualPort() + "/";
    assertThat(send(upstream(url, 1, Duration.ofSeconds(5), trusting(store)), get("/ok")).body().toString())
        .isEqualTo("tls ok");
    assertThatThrownBy(() -> send(upstream(url, 1, Duration.ofSeconds(5), null), get("/ok"))).cause()
        .as("a certificate the JDK does not trust").isInstanceOf(UpstreamFailed.class)
        .hasMessageStartingWith("TLS with the upstream failed");

    Path other = keystore("SAN=dns:elsewhere.example");
    HttpServer misnamed = tlsBackend(other);
    String wrong = "https://127.0.0.1:" + misnamed.actualPort() + "/";
    assertThatThrownBy(() -> send(upstream(wrong, 1, Duration.ofSeconds(5), trusting(other)), get("/ok"))).cause()
        .as("a trusted certificate for another name").isInstanceOf(UpstreamFailed.class)
        .hasMessageStartingWith("TLS with the upstream failed");
  }

  // --- helpers ---

  private Upstream upstream(String url, int poolSize, Duration timeout) throws Exception {
    return upstream(url, poolSize, timeout, null);
  }

  private Upstream upstream(String url, int poolSize, Duration timeout, TrustManagerFactory trust) throws Exception {
    return upstream(url, poolSize, timeout, trust, "X-Scope-OrgID", "authorization");
  }


  private Upstream upstream(String url, int poolSize, Duration timeout, TrustManagerFactory trust, String tenantHeader,
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

  private static UpstreamRequest get(String target) {
    return UpstreamRequest.get(target, null, null, UpstreamRequest.DEFAULT_MAX_RESPONSE);
  }

  private UpstreamReply send(Upstream up, UpstreamRequest r) throws Exception {
    return sendAsync(up, r).get(10, TimeUnit.SECONDS);
  }

  /** Sends from an event-loop context, the way a request handler does. */
  private CompletableFuture<UpstreamReply> sendAsync(Upstream up, UpstreamRequest r) {
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

  private static List<String> lines(String head) {
    List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
    lines.remove(0);
    return lines;
  }

  private Path keystore(String san) throws Exception {
    Path store = Files.createTempFile(dir, "upstream", ".p12");
    Files.delete(store);
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=upstream",
        "-ext", san, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit-test", "-keypass", "changeit-test").redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    return store;
  }

  private static TrustManagerFactory trusting(Path store) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      trust.load(in, "changeit-test".toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }

  private HttpServer tlsBackend(Path store) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PfxOptions().setPath(store.toString()).setPassword("changeit-test"));
    return await(vertx.createHttpServer(options).requestHandler(req -> req.response().end("tls ok"))
        .listen(0, "127.0.0.1"));
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /**
   * An upstream that reads HTTP/1.1 requests off a raw socket and answers each by its target, with
   * bytes written by hand: some well formed, some not.
   */
  final class Backend {
    final int port;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger mostOpen = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> heads = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Pattern length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");

    Backend() throws Exception {
      NetServer server = vertx.createNetServer().connectHandler(this::connected);
      this.port = await(server.listen(0, "127.0.0.1")).actualPort();
    }

    private void connected(NetSocket socket) {
      connections.incrementAndGet();
      mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      socket.closeHandler(v -> open.decrementAndGet());
      Buffer[] pending = {Buffer.buffer()};
      boolean[] closeOnNext = {false};
      socket.handler(chunk -> {
        pending[0].appendBuffer(chunk);
        String text = pending[0].toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        Matcher m = length.matcher(text.substring(0, end + 2));
        int bodyLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (text.length() < end + 4 + bodyLength) {
          return;
        }
        String head = text.substring(0, end + 2);
        heads.add(head);
        bodies.add(text.substring(end + 4, end + 4 + bodyLength));
        pending[0] = Buffer.buffer(text.substring(end + 4 + bodyLength).getBytes(StandardCharsets.ISO_8859_1));
        String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/1.1"));
        requests.add(target);
        if (closeOnNext[0]) {
          socket.close(); // closed as if idle too long, just as the request came: nothing answered
          return;
        }
        closeOnNext[0] = target.equals("/then-close");
        answer(socket, target);
      });
    }

    private void answer(NetSocket socket, String target) {
      switch (target) {
        case "/slow" -> vertx.setTimer(100, t -> socket.write(OK));
        // Says it will close, and leaves the closing to Tollgate.
        case "/close" -> socket.write(OK.replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n"));
        case "/drop" -> socket.write(OK).onComplete(w -> vertx.setTimer(20, t -> socket.close()));
        case "/extra" -> socket.write(OK + OK.replace("ok", "no"));
        // After a pause, so that the next request is already waiting for this connection.
        case "/extra-later" -> vertx.setTimer(100, t -> socket.write(OK + OK.replace("ok", "no")));
        case "/longer-later" -> vertx.setTimer(100, t -> socket.write(OK + "HTTP/1.1 200 OK\r\n"));
        case "/continue" -> socket.write("HTTP/1.1 100 Continue\r\n\r\n" + OK);
        case "/busy" -> socket.write("HTTP/1.1 503 Service Unavailable\r\nretry-after: 7\r\ncontent-length: 0\r\n\r\n");
        case "/chunked", "/bigchunked" -> socket.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
            + "50\r\n" + "x".repeat(80) + "\r\n50\r\n" + "y".repeat(80) + "\r\n0\r\n\r\n");
        case "/big" -> socket.write("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n" + "x".repeat(1000));
        case "/garbage" -> socket.write("SPDY/9 what is this\r\n\r\n");
        case "/both" -> socket.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n"
            + "2\r\nok\r\n0\r\n\r\n");
        case "/not-modified" -> socket.write("HTTP/1.1 304 Not Modified\r\ncontent-length: 1000\r\n\r\n");
        case "/short" -> socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten!!")
            .onComplete(w -> socket.close());
        case "/closed" -> socket.close();
        case "/hang" -> { }
        default -> socket.write(OK);
      }
    }
  }
}
