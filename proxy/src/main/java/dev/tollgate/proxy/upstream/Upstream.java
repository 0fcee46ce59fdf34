package dev.tollgate.proxy.upstream;

import dev.tollgate.auth.upstream.BoundedBody;
import dev.tollgate.auth.upstream.ClientExchange;
import dev.tollgate.auth.upstream.CredentialUnavailable;
import dev.tollgate.auth.upstream.OnBehalfOf;
import dev.tollgate.auth.upstream.Presentation;
import dev.tollgate.auth.upstream.UpstreamCredential;
import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.proxy.audit.AuditRecord;
import io.netty.buffer.ByteBuf;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * One backend: a pooled keep-alive client, the credential Tollgate presents to it, and the tenant
 * header it expects. Only the headers built here reach the backend; nothing of the caller's request
 * is copied except what the handler passes explicitly.
 */
public final class Upstream {
  private final UpstreamConfig config;
  private final HttpClientAgent client;
  private final UpstreamCredential credential;
  private final String basePath;
  private final CharSequence tenantHeader;
  private final long timeoutMillis;
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");

  public Upstream(Vertx vertx, UpstreamConfig config, UpstreamCredential credential) {
    this.config = config;
    this.credential = credential;
    String path = config.url().getRawPath();
    this.basePath = path == null || path.equals("/") ? "" : stripSlash(path);
    this.tenantHeader = config.tenantHeader() == null ? null : HttpHeaders.createOptimized(config.tenantHeader());
    this.timeoutMillis = config.timeout().toMillis();
    HttpClientOptions options = new HttpClientOptions()
        .setDefaultHost(config.url().getHost())
        .setDefaultPort(port(config))
        .setSsl("https".equals(config.url().getScheme()))
        .setKeepAlive(true)
        .setConnectTimeout((int) Math.min(config.timeout().toMillis(), 5_000))
        .setIdleTimeout(60);
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.poolSize()));
  }

  public UpstreamConfig config() {
    return config;
  }

  public UpstreamCredential credential() {
    return credential;
  }

  /**
   * Sends {@code r} with Tollgate's credential and the tenant header set (replacing any value), and
   * reads the answer up to {@code r.maxResponseBytes()}. When the upstream refuses the credential
   * (401/403), renews it once and sends once more, so callers never see a refusal they could not
   * fix. The reply names the credential used; it completes on the caller's context.
   *
   * <p>Fails with {@link UpstreamUnavailable} when no credential can be had, or the renewed one is
   * refused too (the sender should get 503 and retry); with {@link ResponseTooLarge}; or with the
   * client's own error when the upstream cannot be reached or does not answer in time.
   *
   * <p>Takes over the caller's reference to {@code r.body()}. Each write holds one more until the
   * socket is done with it: an upstream may answer before it has read the body, and a pooled buffer
   * released then could be refilled with another request's bytes while they are still being sent.
   */
  public Future<UpstreamReply> send(UpstreamRequest r) {
    if (r.body() == null) {
      return sendOwned(r);
    }
    Future<UpstreamReply> reply;
    try {
      reply = sendOwned(r);
    } catch (RuntimeException e) {
      r.body().release();
      throw e;
    }
    return reply.onComplete(ar -> r.body().release());
  }

  private Future<UpstreamReply> sendOwned(UpstreamRequest r) {
    Context context = Vertx.currentContext();
    Future<Presentation> present = credential.present(r.onBehalfOf());
    if (present.succeeded()) {
      // The usual case, a credential at hand (static, or cached until renewal): no stages to chain.
      return sendWith(r, context, present.result());
    }
    return onContext(context, present)
        .recover(err -> Future.failedFuture(unavailable(err, 0, null)))
        .compose(first -> sendWith(r, context, first));
  }

  private Future<UpstreamReply> sendWith(UpstreamRequest r, Context context, Presentation first) {
    return attempt(r, first).compose(reply -> reply.credentialRefused()
        ? retryRefused(r, context, first, reply)
        : Future.succeededFuture(reply.with(CredentialUse.of(credential.kind(), first, false))));
  }

  private Future<UpstreamReply> retryRefused(UpstreamRequest r, Context context, Presentation refused,
      UpstreamReply reply) {
    credential.metrics().refused();
    OnBehalfOf who = r.onBehalfOf();
    return onContext(context, credential.renew(who, refused))
        .recover(err -> {
          credential.metrics().unrecoveredRefusal();
          return Future.failedFuture(unavailable(err, reply.status(), CredentialUse.of(credential.kind(), refused, false)));
        })
        .compose(renewed -> attempt(r, renewed).compose(second -> {
          CredentialUse use = CredentialUse.of(credential.kind(), renewed, true);
          if (!second.credentialRefused()) {
            return Future.succeededFuture(second.with(use));
          }
          credential.metrics().refused();
          credential.metrics().unrecoveredRefusal();
          return Future.failedFuture(new UpstreamUnavailable("upstream refused Tollgate's renewed credential (HTTP "
              + second.status() + "), retry later", second.status(), use));
        }));
  }

  private Future<UpstreamReply> attempt(UpstreamRequest r, Presentation credentialHeader) {
    RequestOptions req = new RequestOptions()
        .setMethod(r.method())
        .setURI(basePath + r.pathAndQuery())
        // per request this bounds the wait for a pooled connection (the TCP connect itself is
        // bounded by the client's options); the exchange after it by the timeout below
        .setConnectTimeout(timeoutMillis);
    return client.request(req)
        .compose(c -> {
          try {
            // Straight onto the request's own headers: no intermediate map to build and copy.
            MultiMap headers = c.headers();
            if (r.headers() != null) {
              headers.addAll(r.headers());
            }
            if (r.contentType() != null) {
              headers.set(HttpHeaders.CONTENT_TYPE, r.contentType());
            }
            if (credentialHeader.header() != null) {
              headers.set(headerName(credentialHeader.header()), credentialHeader.value());
            }
            if (tenantHeader != null && r.tenant() != null) {
              headers.set(tenantHeader, r.tenant());
            }
          } catch (RuntimeException e) {
            c.reset(); // a header Vert.x refuses: give the pooled connection back
            return Future.failedFuture(e);
          }
          return ClientExchange.within(c, r.body() == null ? c.send() : write(c, r.body()),
              resp -> read(resp, r.maxResponseBytes()), timeoutMillis);
        });
  }

  /** Sends {@code body} on {@code c}, holding a reference to it until the write has completed. */
  private static Future<HttpClientResponse> write(HttpClientRequest c, ByteBuf body) {
    // Vert.x hands Netty an unreleasable view of the body: only this reference keeps it alive.
    body.retain();
    try {
      c.end(BufferInternal.buffer(body)).onComplete(written -> body.release());
    } catch (RuntimeException e) {
      body.release();
      c.reset(); // give the pooled connection back
      throw e;
    }
    return c.response();
  }

  private static CharSequence headerName(String name) {
    return "authorization".equalsIgnoreCase(name) ? HttpHeaders.AUTHORIZATION : name;
  }

  private static Future<UpstreamReply> read(HttpClientResponse resp, long limit) {
    return BoundedBody.read(resp, limit, () -> new ResponseTooLarge(limit))
        .map(body -> new UpstreamReply(resp.statusCode(), body, resp.getHeader(HttpHeaders.CONTENT_TYPE),
            resp.getHeader(RETRY_AFTER)));
  }

  /** Why no credential could be presented, in words safe for the sender and the audit. */
  private static UpstreamUnavailable unavailable(Throwable err, int status, CredentialUse use) {
    String reason = err instanceof CredentialUnavailable ? err.getMessage()
        : "upstream credential unavailable (" + err.getClass().getSimpleName() + ")";
    return new UpstreamUnavailable(status == 0 ? reason
        : "upstream refused Tollgate's credential (HTTP " + status + ") and it could not be renewed: " + reason
            + "; retry later", status, use);
  }

  /**
   * Records on {@code audit} what this upstream answered and the credential's kind and key id
   * (never its value), for a result of {@link #send}. A refusal that ended in 503 is recorded with
   * the upstream's 401/403.
   */
  public void recordIn(AuditRecord audit, AsyncResult<UpstreamReply> result) {
    int status = 0;
    CredentialUse use = null;
    if (result.succeeded()) {
      status = result.result().status();
      use = result.result().credential();
    } else if (result.cause() instanceof UpstreamUnavailable u) {
      status = u.upstreamStatus();
      use = u.credential();
    }
    audit.upstream(status, use != null ? use.kind() : credential.kind());
    if (use != null && use.keyId() != null) {
      audit.credentialKeyId(use.keyId());
    }
  }

  // Credentials complete on whichever event loop fetched or read; the request's own handlers must
  // run on its context (its audit record is confined to it), so hop back unless already there.
  private static <T> Future<T> onContext(Context context, Future<T> result) {
    if (context == null || result.isComplete()) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  public Future<Void> close() {
    credential.close();
    return client.close();
  }

  private static int port(UpstreamConfig c) {
    int p = c.url().getPort();
    return p > 0 ? p : "https".equals(c.url().getScheme()) ? 443 : 80;
  }

  private static String stripSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
