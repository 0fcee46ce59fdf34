package dev.tollgate.proxy.web;

import dev.tollgate.auth.upstream.MintingKeys;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * {@code GET /.well-known/jwks.json}: the public keys of the tokens Tollgate mints, for a
 * collector's OIDC authenticator. Open (public keys only), cacheable for at most half of the
 * identity's publish_ahead, and answered 304 to a matching {@code If-None-Match}.
 */
public final class JwksEndpoint {
  public static final String PATH = "/.well-known/jwks.json";

  private JwksEndpoint() {}

  /** The route, or none when Tollgate has no minting identity. */
  public static Map<String, Handler<HttpServerRequest>> routes(MintingKeys keys) {
    return keys == null ? Map.of() : Map.of(PATH, req -> serve(req, keys));
  }

  private static void serve(HttpServerRequest req, MintingKeys keys) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("allow", "GET, HEAD").end();
      return;
    }
    MintingKeys.PublishedKeys published = keys.published();
    req.response()
        .putHeader("cache-control", "public, max-age=" + keys.cacheMaxAge().toSeconds())
        .putHeader("etag", published.etag());
    if (published.etag().equals(req.getHeader("if-none-match"))) {
      req.response().setStatusCode(304).end();
      return;
    }
    req.response().putHeader("content-type", "application/json");
    if (req.method() == HttpMethod.HEAD) {
      req.response().putHeader("content-length", String.valueOf(published.json().length())).end();
    } else {
      req.response().end(published.json());
    }
  }
}
