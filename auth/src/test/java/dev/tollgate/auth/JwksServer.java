package dev.tollgate.auth;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on 127.0.0.1 that counts its requests, so tests can assert what the IdP saw. */
final class JwksServer implements AutoCloseable {
  private final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  private volatile String jwks;
  private volatile long delayMillis;

  private JwksServer(Vertx vertx, String jwks) {
    this.jwks = jwks;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(request -> {
          requests.incrementAndGet();
          String body = this.jwks;
          if (delayMillis > 0) {
            vertx.setTimer(delayMillis, id -> request.response().putHeader("content-type", "application/json").end(body));
          } else {
            request.response().putHeader("content-type", "application/json").end(body);
          }
        });
  }

  /** Listens on {@code port} (0: any free port). */
  static JwksServer start(Vertx vertx, int port, String jwks) {
    JwksServer s = new JwksServer(vertx, jwks);
    Await.result(s.server.listen(port, "127.0.0.1"));
    return s;
  }

  /** A loopback port nobody listens on (bound once, then released). */
  static int closedPort(Vertx vertx) {
    HttpServer probe = Await.result(vertx.createHttpServer().requestHandler(r -> r.response().end())
        .listen(0, "127.0.0.1"));
    int port = probe.actualPort();
    Await.result(probe.close());
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/jwks";
  }

  void serve(String newJwks) {
    jwks = newJwks;
  }

  /** Answers every later request only after this long, as a slow IdP would. */
  void delay(long millis) {
    delayMillis = millis;
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
