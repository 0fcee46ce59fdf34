package dev.tollgate.auth;

import dev.tollgate.auth.upstream.ClientExchange;
import dev.tollgate.config.Loopback;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loads a JWKS over HTTP with Vert.x's client, either from a fixed URL or by OpenID discovery.
 *
 * <p>Discovery runs on every load (one extra small GET) so that an IdP moving its {@code jwks_uri}
 * is followed without a restart. A load either brings its document within {@link #DEADLINE}
 * (discovery included) or fails then, closing the request, so a stalled IdP never holds a refetch.
 */
final class JwksFetcher implements KeyLoader {
  /** JWKS and discovery documents are a few KiB; anything far larger is a misconfigured URL. */
  static final int MAX_BYTES = 1 << 20;
  /**
   * How long one load may take, connect to last byte. A token naming a new key waits for the
   * refetch, so this bounds how late its sender hears "keys unavailable, retry" (503) from a stalled
   * IdP: well inside the 10 s many senders, OTLP exporters among them, give a request.
   */
  static final Duration DEADLINE = Duration.ofSeconds(3);

  private final HttpClient client;
  private final URI url;
  private final String discoveredIssuer;
  private final Duration deadline;

  private JwksFetcher(HttpClient client, URI url, String discoveredIssuer, Duration deadline) {
    this.client = client;
    this.url = url;
    this.discoveredIssuer = discoveredIssuer;
    this.deadline = deadline;
  }

  static JwksFetcher jwksUrl(HttpClient client, URI jwksUrl) {
    return new JwksFetcher(client, jwksUrl, null, DEADLINE);
  }

  /** Reads {@code configurationUrl}, insists its {@code issuer} is {@code issuer}, then loads its {@code jwks_uri}. */
  static JwksFetcher discovery(HttpClient client, URI configurationUrl, String issuer) {
    return new JwksFetcher(client, configurationUrl, issuer, DEADLINE);
  }

  /** The same source with another deadline, so tests of a stalled IdP need not wait for {@link #DEADLINE}. */
  JwksFetcher withDeadline(Duration other) {
    return new JwksFetcher(client, url, discoveredIssuer, other);
  }

  @Override
  public Future<String> load() {
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    if (discoveredIssuer == null) {
      return get(url, deadlineNanos);
    }
    return get(url, deadlineNanos).compose(this::jwksUri).compose(jwksUri -> get(jwksUri, deadlineNanos));
  }

  @Override
  public String describe() {
    return discoveredIssuer == null ? url.toString() : "discovery " + url;
  }

  private Future<URI> jwksUri(String configurationJson) {
    JsonObject doc;
    try {
      doc = new JsonObject(configurationJson);
    } catch (RuntimeException e) {
      return Future.failedFuture("discovery document at " + url + " is not a JSON object");
    }
    // The issuer check stops a discovery URL that answers for someone else (RFC 8414 section 3.3).
    Object issuer = doc.getValue("issuer");
    if (!discoveredIssuer.equals(issuer)) {
      return Future.failedFuture("discovery document at " + url + " names issuer \"" + issuer
          + "\", expected \"" + discoveredIssuer + "\"");
    }
    if (!(doc.getValue("jwks_uri") instanceof String jwksUri)) {
      return Future.failedFuture("discovery document at " + url + " has no jwks_uri");
    }
    String refusal = refusal(url, jwksUri);
    return refusal == null ? Future.succeededFuture(URI.create(jwksUri))
        : Future.failedFuture("discovery document at " + url + ": " + refusal);
  }

  /**
   * Why a discovered {@code jwks_uri} must not be fetched, or null when it may. It must be https:
   * keys fetched in clear could be swapped by anyone on the path, whatever protected the discovery
   * document. Plain http is accepted only when the document and the keys both stay on loopback.
   */
  static String refusal(URI discoveryUrl, String jwksUri) {
    URI uri;
    try {
      uri = new URI(jwksUri);
    } catch (URISyntaxException e) {
      return "jwks_uri is not a URL";
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return "jwks_uri " + jwksUri + " is not an absolute URL";
    }
    if ("https".equals(uri.getScheme())) {
      return null;
    }
    if (!"http".equals(uri.getScheme())) {
      return "jwks_uri " + jwksUri + " is not an https URL";
    }
    if (!Loopback.is(discoveryUrl) || !Loopback.is(uri)) {
      return "jwks_uri " + jwksUri + " is plain http; keys are fetched only over https (http only when the"
          + " discovery document and the keys are both on loopback)";
    }
    return null;
  }

  private Future<String> get(URI uri, long deadlineNanos) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(uri.toString())
        .setConnectTimeout(millisLeft(deadlineNanos))
        .putHeader(HttpHeaders.ACCEPT, "application/json");
    return client.request(options)
        // A load that lost its body, or never got one, would hold the single-flight refetch for good.
        .compose(request -> ClientExchange.within(request, request.send(), response -> body(uri, response),
            millisLeft(deadlineNanos)))
        .map(body -> body.toString(StandardCharsets.UTF_8))
        .recover(e -> Future.failedFuture("GET " + uri + ": " + (e instanceof TimeoutException
            ? "no complete answer within " + deadline.toMillis() + " ms" : e.getMessage())));
  }

  private static long millisLeft(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static Future<Buffer> body(URI uri, HttpClientResponse response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture("HTTP " + response.statusCode());
    }
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parseLong(length) > MAX_BYTES) {
      return Future.failedFuture("response larger than " + MAX_BYTES + " bytes");
    }
    return response.body().compose(body -> body.length() > MAX_BYTES
        ? Future.failedFuture("response larger than " + MAX_BYTES + " bytes")
        : Future.succeededFuture(body));
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
