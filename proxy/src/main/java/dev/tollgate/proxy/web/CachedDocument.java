package dev.tollgate.proxy.web;

import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Answers GET and HEAD with a public JSON document that verifiers cache: {@code Cache-Control:
 * public, max-age}, an {@code ETag}, and 304 for a matching {@code If-None-Match}. {@link Routes}
 * refuses other methods.
 */
final class CachedDocument {
  private CachedDocument() {}

  static void serve(Http1Request req, String json, String etag, Duration maxAge) {
    req.response()
        .putHeader("cache-control", "public, max-age=" + maxAge.toSeconds())
        .putHeader("etag", etag);
    if (etag.equals(req.getHeader("if-none-match"))) {
      req.response().setStatusCode(304).end();
      return;
    }
    req.response().putHeader("content-type", "application/json");
    if (req.method() == HttpMethod.HEAD) {
      req.response().putHeader("content-length", String.valueOf(json.getBytes(StandardCharsets.UTF_8).length)).end();
    } else {
      req.response().end(json);
    }
  }
}
