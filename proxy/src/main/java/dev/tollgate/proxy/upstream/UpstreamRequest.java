package dev.tollgate.proxy.upstream;

import dev.tollgate.auth.upstream.OnBehalfOf;
import io.netty.buffer.ByteBuf;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * One request Tollgate sends to an upstream. Only what is named here reaches the backend: the
 * caller's own headers are never copied wholesale.
 *
 * @param pathAndQuery appended to the upstream's base path, e.g. {@code /v1/traces} or {@code
 *     /api/v2/traces?serviceName=checkout}
 * @param contentType the body's type, or null without a body
 * @param body the bytes to send, or null; {@link Upstream#send} takes over one reference to it and
 *     releases it when the exchange is over and no write of it is pending
 * @param tenant the value for the upstream's tenant header (set, never appended), or null
 * @param headers further headers to send (user agent, traceparent, accept)
 * @param maxResponseBytes the largest response body accepted; larger fails with {@link
 *     ResponseTooLarge}
 * @param onBehalfOf the verified caller, its token and the project, for credentials that need them
 *     (token exchange, minted); {@link OnBehalfOf#NOBODY} when none. The token is never logged or
 *     forwarded as such.
 */
public record UpstreamRequest(
    HttpMethod method,
    String pathAndQuery,
    String contentType,
    ByteBuf body,
    String tenant,
    MultiMap headers,
    long maxResponseBytes,
    OnBehalfOf onBehalfOf) {

  public UpstreamRequest {
    onBehalfOf = onBehalfOf == null ? OnBehalfOf.NOBODY : onBehalfOf;
  }

  /** The default bound on an upstream's answer: 16 MiB. */
  public static final long DEFAULT_MAX_RESPONSE = 16L << 20;

  /** A POST of {@code body} (ingest), which {@link Upstream#send} releases. */
  public static UpstreamRequest post(String path, String contentType, ByteBuf body, String tenant, MultiMap headers) {
    return new UpstreamRequest(HttpMethod.POST, path, contentType, body, tenant, headers, DEFAULT_MAX_RESPONSE,
        OnBehalfOf.NOBODY);
  }

  /** A GET (queries), answered with at most {@code maxResponseBytes}. */
  public static UpstreamRequest get(String pathAndQuery, String tenant, MultiMap headers, long maxResponseBytes) {
    return new UpstreamRequest(HttpMethod.GET, pathAndQuery, null, null, tenant, headers, maxResponseBytes,
        OnBehalfOf.NOBODY);
  }

  /**
   * The same request on behalf of {@code who} (see {@code Exchange#onBehalfOf(String)}): needed by
   * token-exchange and minted credentials, harmless for the others.
   */
  public UpstreamRequest onBehalfOf(OnBehalfOf who) {
    return new UpstreamRequest(method, pathAndQuery, contentType, body, tenant, headers, maxResponseBytes, who);
  }

  /** The same request carrying the caller's verified token for exchange; prefer {@link #onBehalfOf}. */
  public UpstreamRequest withSubjectToken(String token) {
    return onBehalfOf(new OnBehalfOf(onBehalfOf.caller(), token, onBehalfOf.project()));
  }

  /** The caller's verified token, or null. */
  public String subjectToken() {
    return onBehalfOf.subjectToken();
  }

  /** Leaves the body and the caller's token out. */
  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + pathAndQuery + ", tenant=" + tenant + ", " + onBehalfOf + "]";
  }
}
