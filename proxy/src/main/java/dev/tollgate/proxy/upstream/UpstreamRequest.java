package dev.tollgate.proxy.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One request Tollgate sends to an upstream. Only what is named here reaches the backend: the
 * caller's own headers are never copied wholesale.
 *
 * @param pathAndQuery appended to the upstream's base path, e.g. {@code /v1/traces} or {@code
 *     /api/v2/traces?serviceName=checkout}
 * @param contentType the body's type, or null without a body
 * @param tenant the value for the upstream's tenant header (set, never appended), or null
 * @param headers further headers to send (user agent, traceparent, accept)
 * @param maxResponseBytes the largest response body accepted; larger fails with {@link
 *     ResponseTooLarge}
 * @param subjectToken the caller's verified token, for credentials that exchange it for an
 *     upstream token (RFC 8693); null when not needed. Never logged or forwarded as such.
 */
public record UpstreamRequest(
    HttpMethod method,
    String pathAndQuery,
    String contentType,
    Buffer body,
    String tenant,
    MultiMap headers,
    long maxResponseBytes,
    String subjectToken) {

  /** The default bound on an upstream's answer: 16 MiB. */
  public static final long DEFAULT_MAX_RESPONSE = 16L << 20;

  /** A POST of {@code body} (ingest). */
  public static UpstreamRequest post(String path, String contentType, Buffer body, String tenant, MultiMap headers) {
    return new UpstreamRequest(HttpMethod.POST, path, contentType, body, tenant, headers, DEFAULT_MAX_RESPONSE, null);
  }

  /** A GET (queries), answered with at most {@code maxResponseBytes}. */
  public static UpstreamRequest get(String pathAndQuery, String tenant, MultiMap headers, long maxResponseBytes) {
    return new UpstreamRequest(HttpMethod.GET, pathAndQuery, null, null, tenant, headers, maxResponseBytes, null);
  }

  /** The same request carrying the caller's verified token for exchange. */
  public UpstreamRequest withSubjectToken(String token) {
    return new UpstreamRequest(method, pathAndQuery, contentType, body, tenant, headers, maxResponseBytes, token);
  }
}
