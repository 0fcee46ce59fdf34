package dev.tollgate.auth.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A loopback proxy in front of the real OIDC server's token endpoint that can fail (503), slow down
 * past any timeout, or pass requests through; it counts and records every token request.
 */
final class FlakyTokenEndpoint implements AutoCloseable {
  enum Mode { PASS, FAIL, SLOW }

  /** One token request as it arrived: the Authorization header and the form body. */
  record Seen(String authorization, String form) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient client;
  private final int idpPort;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.PASS;

  private FlakyTokenEndpoint(Vertx vertx, MockOAuth2Server idp) throws Exception {
    this.vertx = vertx;
    this.idpPort = idp.baseUrl().port();
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer().requestHandler(this::handle)
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static FlakyTokenEndpoint start(Vertx vertx, MockOAuth2Server idp) throws Exception {
    return new FlakyTokenEndpoint(vertx, idp);
  }

  String tokenUrl(String issuerId) {
    return "http://127.0.0.1:" + server.actualPort() + "/" + issuerId + "/token";
  }

  int requests() {
    return seen.size();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      seen.add(new Seen(req.getHeader("authorization"), body.toString()));
      switch (mode) {
        case FAIL:
          req.response().setStatusCode(503).putHeader("content-type", "application/json")
              .end("{\"error\":\"temporarily_unavailable\",\"error_description\":\"echo " + body + "\"}");
          break;
        case SLOW:
          vertx.setTimer(4_000, id -> forward(req, body));
          break;
        default:
          forward(req, body);
      }
    });
  }

  // The Host header goes through unchanged: the server derives its token URL (the audience of
  // private_key_jwt assertions) from it, and that must be the URL Tollgate was configured with.
  private void forward(HttpServerRequest req, Buffer body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
    RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(idpPort)
        .setURI(req.uri()).setHeaders(headers);
    client.request(options)
        .compose(c -> c.send(body))
        .compose(resp -> resp.body().map(b -> {
          req.response().setStatusCode(resp.statusCode())
              .putHeader("content-type", resp.getHeader("content-type")).end(b);
          return null;
        }))
        .onFailure(err -> req.response().setStatusCode(502).end());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client.close();
  }
}
