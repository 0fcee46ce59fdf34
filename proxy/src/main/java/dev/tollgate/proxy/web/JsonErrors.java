package dev.tollgate.proxy.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Error answers for requests that are not OTLP: a JSON body with the reason and the request id. */
public final class JsonErrors {
  private JsonErrors() {}

  /** Answers {@code status} with {@code {"error":reason,"request_id":id}}; the reason is audited. */
  public static void fail(Exchange x, int status, String reason) {
    x.audit().reason(reason);
    JsonObject body = new JsonObject().put("status", status).put("error", reason).put("request_id", x.requestId());
    if (status == 503) {
      x.response().putHeader("retry-after", "5");
    }
    x.respond(status, "application/json", Buffer.buffer(body.encode()));
  }
}
