package dev.tollgate.proxy.query;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A trace backend on loopback that answers each path with a recorded answer (from
 * src/test/resources/query) and records every request, so tests assert what reached the backend.
 * Used for Jaeger and Tempo, which do not run on this platform, and to see exact Zipkin requests.
 */
final class FakeBackend implements AutoCloseable {
  /** One request as the backend saw it. */
  record Seen(String path, String query, MultiMap headers) {}

  private final HttpServer server;
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  FakeBackend(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> {
      seen.add(new Seen(req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
      String body = answers.get(req.path());
      req.response().setStatusCode(body == null ? 404 : 200).putHeader("content-type", "application/json")
          .end(body == null ? "{\"data\":null,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}" : body);
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers {@code path} with the resource {@code query/<resource>}. */
  FakeBackend answer(String path, String resource) {
    try (InputStream in = FakeBackend.class.getResourceAsStream("/query/" + resource)) {
      answers.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing test resource query/" + resource, e);
    }
    return this;
  }

  int port() {
    return server.actualPort();
  }

  List<Seen> seen() {
    return seen;
  }

  Seen last() {
    return seen.isEmpty() ? null : seen.get(seen.size() - 1);
  }

  void reset() {
    seen.clear();
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
