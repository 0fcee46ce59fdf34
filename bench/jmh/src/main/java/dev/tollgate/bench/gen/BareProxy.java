package dev.tollgate.bench.gen;

import dev.tollgate.auth.upstream.NoCredential;
import dev.tollgate.config.CredentialConfig;
import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.proxy.Tollgate;
import dev.tollgate.proxy.upstream.Upstream;
import dev.tollgate.proxy.upstream.UpstreamReply;
import dev.tollgate.proxy.upstream.UpstreamRequest;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/**
 * The floor of Tollgate's former stack: a reverse proxy on one event loop, with Vert.x's HTTP server
 * configured as Tollgate's listener was, on Tollgate's transport, and Tollgate's own upstream
 * connections. It reads the whole body, copies it once (Tollgate's rewrite copies it once too),
 * sends it with the content type to the upstream and sends the answer back, as Tollgate's pipeline
 * does, and nothing else: no token, no policy, no payload inspection, no audit. bench/run.sh's
 * optional peer {@code vertx}.
 *
 * <p>With {@code vertx-client} as the third argument it sends upstream through Vert.x's HTTP client
 * instead (pooled, keep-alive), as Tollgate did before it had its own connections.
 *
 * <p>Usage: {@code BareProxy PORT UPSTREAM_PORT [vertx-client]}, both on 127.0.0.1.
 */
public final class BareProxy {
  private BareProxy() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    boolean vertxClient = args.length > 2 && args[2].equals("vertx-client");
    Vertx vertx = Tollgate.newVertx(new VertxOptions().setEventLoopPoolSize(1));
    Function<HttpServerRequest, Future<Answer>> forward = vertxClient ? vertxClient(vertx, upstreamPort)
        : tollgateClient(vertx, upstreamPort);
    vertx.createHttpServer(listenerOptions())
        .requestHandler(req -> forward.apply(req).onComplete(ar -> answer(req, ar.failed() ? null : ar.result())))
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.err.println("bare proxy on 127.0.0.1:" + s.actualPort()
            + (vertxClient ? " (Vert.x's HTTP client)" : " (Tollgate's upstream connections)")))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }

  /**
   * The options of Tollgate's listener while it was Vert.x's HTTP server: the listener's idle
   * timeout and socket options, and no WebSocket compression (with it on, Vert.x puts a handler
   * that looks for a handshake in every connection's pipeline).
   */
  private static HttpServerOptions listenerOptions() {
    return new HttpServerOptions()
        .setIdleTimeout(120)
        .setTcpNoDelay(true)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }

  /** Tollgate's own upstream connections to the sink on 127.0.0.1:{@code port}, with no credential. */
  static Upstream sink(Vertx vertx, int port) {
    return new Upstream(vertx, new UpstreamConfig("sink", URI.create("http://127.0.0.1:" + port),
        new CredentialConfig.None(), null, Duration.ofSeconds(10), 64), new NoCredential());
  }

  private static Function<HttpServerRequest, Future<Answer>> tollgateClient(Vertx vertx, int upstreamPort) {
    Upstream upstream = sink(vertx, upstreamPort);
    // A POST of the path, as Tollgate's ingest sends: the bench's scenarios are all POSTs without a query.
    return req -> req.body().compose(body -> upstream.send(UpstreamRequest.post(req.path(),
        req.getHeader("content-type"), Unpooled.wrappedBuffer(body.getBytes()), null, null)))
        .map(BareProxy::answerOf);
  }

  private static Answer answerOf(UpstreamReply reply) {
    return new Answer(reply.status(), reply.contentType(), reply.body());
  }

  private static Function<HttpServerRequest, Future<Answer>> vertxClient(Vertx vertx, int upstreamPort) {
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(upstreamPort).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    return req -> req.body()
        .compose(body -> client.request(new RequestOptions().setMethod(req.method()).setURI(req.uri()))
            .compose(up -> {
              String type = req.getHeader("content-type");
              if (type != null) {
                up.putHeader("content-type", type);
              }
              return body.length() == 0 ? up.send() : up.send(body);
            }))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("content-type"), b)));
  }

  private static void answer(HttpServerRequest req, Answer a) {
    if (a == null) {
      req.response().setStatusCode(502).end();
      return;
    }
    if (a.contentType() != null) {
      req.response().putHeader("content-type", a.contentType());
    }
    req.response().setStatusCode(a.status()).end(a.body() == null ? Buffer.buffer() : a.body());
  }

  private record Answer(int status, String contentType, Buffer body) {}
}
