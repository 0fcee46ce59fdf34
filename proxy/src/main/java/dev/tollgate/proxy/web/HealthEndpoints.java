package dev.tollgate.proxy.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /healthz} (the process answers) and {@code /readyz} (it can do its job). */
public final class HealthEndpoints {
  private HealthEndpoints() {}

  /**
   * The two routes; {@code notReady} names each part that is not ready (keys, credentials, audit),
   * empty when ready.
   */
  public static Map<String, Handler<Http1Request>> routes(Supplier<List<String>> notReady) {
    return Map.of(
        "/healthz", req -> req.response().putHeader("content-type", "text/plain").end("ok\n"),
        "/readyz", req -> ready(req, notReady.get()));
  }

  private static void ready(Http1Request req, List<String> missing) {
    JsonObject body = new JsonObject().put("ready", missing.isEmpty());
    if (!missing.isEmpty()) {
      body.put("waiting_for", new JsonArray(missing));
    }
    req.response().setStatusCode(missing.isEmpty() ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer(body.encode()));
  }
}
