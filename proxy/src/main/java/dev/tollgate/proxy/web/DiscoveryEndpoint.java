package dev.tollgate.proxy.web;

import dev.tollgate.auth.upstream.MintingKeys;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code GET /.well-known/openid-configuration}: OpenID discovery for the tokens Tollgate mints, so a
 * collector's OIDC authenticator configured with {@code identity.issuer} finds the key set. Names
 * the {@code issuer}, the {@code jwks_uri} ({@code <issuer>/.well-known/jwks.json}) and the signing
 * algorithms in use, which verifiers such as go-oidc otherwise assume to be RS256. Cached like the
 * key set.
 */
final class DiscoveryEndpoint implements Handler<Http1Request> {
  static final String PATH = "/.well-known/openid-configuration";

  /** The document as served; rebuilt only when the set of algorithms changes. */
  private record Document(List<String> algorithms, String json, String etag) {}

  private final MintingKeys keys;
  private volatile Document document;

  DiscoveryEndpoint(MintingKeys keys) {
    this.keys = keys;
  }

  @Override
  public void handle(Http1Request req) {
    Document d = current();
    CachedDocument.serve(req, d.json(), d.etag(), keys.cacheMaxAge());
  }

  private Document current() {
    List<String> algorithms = keys.algorithms();
    Document d = document;
    if (d == null || !d.algorithms().equals(algorithms)) {
      d = build(keys.identity().issuer(), algorithms);
      document = d;
    }
    return d;
  }

  private static Document build(String issuer, List<String> algorithms) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    // subject_types_supported and response_types_supported are required by OpenID Connect
    // Discovery 1.0; strict metadata parsers refuse a document without them.
    String json = new JsonObject()
        .put("issuer", issuer)
        .put("jwks_uri", base + JwksEndpoint.PATH)
        .put("id_token_signing_alg_values_supported", new JsonArray(List.copyOf(algorithms)))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("response_types_supported", new JsonArray().add("id_token"))
        .encodePrettily();
    return new Document(algorithms, json, etag(json));
  }

  private static String etag(String json) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
