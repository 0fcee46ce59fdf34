package dev.tollgate.proxy.web;

import dev.tollgate.auth.upstream.MintingKeys;
import io.vertx.core.Handler;
import java.util.Map;

/**
 * {@code GET /.well-known/jwks.json}: the public keys of the tokens Tollgate mints, for a
 * collector's OIDC authenticator. Open (public keys only), cacheable for at most half of the
 * identity's publish_ahead, and answered 304 to a matching {@code If-None-Match}. Served together
 * with the {@link DiscoveryEndpoint discovery document} that points verifiers at it.
 */
public final class JwksEndpoint {
  public static final String PATH = "/.well-known/jwks.json";

  private JwksEndpoint() {}

  /** The key set and discovery routes, or none when Tollgate has no minting identity. */
  public static Map<String, Handler<Http1Request>> routes(MintingKeys keys) {
    if (keys == null) {
      return Map.of();
    }
    return Map.of(PATH, req -> serve(req, keys), DiscoveryEndpoint.PATH, new DiscoveryEndpoint(keys));
  }

  private static void serve(Http1Request req, MintingKeys keys) {
    MintingKeys.PublishedKeys published = keys.published();
    CachedDocument.serve(req, published.json(), published.etag(), keys.cacheMaxAge());
  }
}
