package dev.tollgate.bench.gen;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The floor of Tollgate's stack: a Vert.x 5 reverse proxy on one event loop that reads the whole
 * body, forwards it with the content type to the upstream over a pooled keep-alive client and sends
 * the answer back, as Tollgate's pipeline does, and nothing else (no token, policy, payload, audit).
 * bench/run.sh's optional peer {@code vertx}: what any Vert.x-based proxy costs on this machine.
 *
 * <p>Usage: {@code BareProxy PORT UPSTREAM_PORT}, both on 127.0.0.1.
 */
public final class BareProxy {
  private BareProxy() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(upstreamPort).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(req -> forward(client, req))
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.err.println("bare proxy on 127.0.0.1:" + s.actualPort()))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }

  private static void forward(HttpClientAgent client, HttpServerRequest req) {
    req.body()
        .compose(body -> client.request(new RequestOptions().setMethod(req.method()).setURI(req.uri()))
            .compose(up -> {
              String type = req.getHeader("content-type");
              if (type != null) {
                up.putHeader("content-type", type);
              }
              return body.length() == 0 ? up.send() : up.send(body);
            }))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("content-type"), b)))
        .onComplete(ar -> {
          if (ar.failed()) {
            req.response().setStatusCode(502).end();
            return;
          }
          Answer a = ar.result();
          if (a.contentType() != null) {
            req.response().putHeader("content-type", a.contentType());
          }
          req.response().setStatusCode(a.status()).end(a.body());
        });
  }

  private record Answer(int status, String contentType, Buffer body) {}
}
