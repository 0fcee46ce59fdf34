package dev.tollgate.proxy.upstream;

import dev.tollgate.auth.upstream.CredentialUnavailable;
import dev.tollgate.auth.upstream.OnBehalfOf;
import dev.tollgate.auth.upstream.Presentation;
import dev.tollgate.auth.upstream.UpstreamCredential;
import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.proxy.audit.AuditRecord;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.TrustManagerFactory;

/**
 * One backend: pooled keep-alive connections, the credential Tollgate presents to it, and the tenant
 * header it expects. Only the headers built here reach the backend; nothing of the caller's request
 * is copied except what the handler passes explicitly.
 */
public final class Upstream {
  private final UpstreamConfig config;
  private final ConnectionPool pool;
  private final String host;
  private final UpstreamCredential credential;
  private final String basePath;
  private final CharSequence tenantHeader;
  private final long timeoutMillis;

  public Upstream(Vertx vertx, UpstreamConfig config, UpstreamCredential credential) {
    this(vertx, config, credential, null, ConnectionPool.IDLE);
  }

  /**
   * With {@code trust} in place of the JDK's trust store for an https upstream, and connections
   * closed after {@code idle} (tests).
   */
  Upstream(Vertx vertx, UpstreamConfig config, UpstreamCredential credential, TrustManagerFactory trust,
      Duration idle) {
    this.config = config;
    this.credential = credential;
    String path = config.url().getRawPath();
    this.basePath = path == null || path.equals("/") ? "" : stripSlash(path);
    this.tenantHeader = config.tenantHeader() == null ? null : HttpHeaders.createOptimized(config.tenantHeader());
    checkHeaderNames(config);
    this.timeoutMillis = config.timeout().toMillis();
    URI url = config.url();
    this.host = url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
    this.pool = new ConnectionPool((VertxInternal) vertx, url, config.poolSize(),
        (int) Math.min(timeoutMillis, 5_000), trust, idle);
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
   * refused too (the sender should get 503 and retry); with {@link ResponseTooLarge}; with {@link
   * UpstreamFailed} when the upstream cannot be reached, breaks the exchange or does not answer
   * within the upstream's timeout (one deadline, from asking for a connection to the answer's last
   * byte); or with {@link IllegalArgumentException} when a header or the path holds a character
   * HTTP cannot carry safely (then nothing is sent).
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
    RequestHead head;
    try {
      head = head(r, credentialHeader);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e); // a value HTTP cannot carry safely: nothing is sent
    }
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    ConnectionPool.Loop loop = context != null && context.isEventLoopContext()
        && context.nettyEventLoop().inEventLoop() ? pool.on(context.nettyEventLoop()) : null;
    // The usual case: on the event loop the request came in on, which owns the connections used.
    Promise<UpstreamReply> reply = loop != null ? context.promise() : Promise.promise();
    UpstreamCall call = new UpstreamCall(head, r.body(), replayable(r), r.maxResponseBytes(), timeoutMillis, reply);
    if (loop != null) {
      call.start(loop);
      return reply.future();
    }
    // Off the event loops (a worker, a test): run on one, and hear of it where the caller is.
    ConnectionPool.Loop any = pool.any();
    try {
      any.loop.execute(() -> call.start(any));
    } catch (RejectedExecutionException stopped) {
      reply.fail(new UpstreamFailed("upstream client closed"));
    }
    return onContext(context, reply.future());
  }

  private static boolean replayable(UpstreamRequest r) {
    return r.method() == HttpMethod.GET && r.body() == null;
  }

  /**
   * The request's head: Tollgate's own headers (host, body type and length, credential, tenant)
   * set once each, after the request's further headers minus any that would repeat one of them.
   */
  private RequestHead head(UpstreamRequest r, Presentation credentialHeader) {
    RequestHead head = new RequestHead(r.method().name(), basePath + r.pathAndQuery()).header(HttpHeaders.HOST, host);
    String credentialName = credentialHeader.header();
    if (r.headers() != null) {
      for (Map.Entry<String, String> h : r.headers()) {
        String name = h.getKey();
        if (!UpstreamConfig.setByTollgate(name) && !name.equalsIgnoreCase(credentialName)
            && (tenantHeader == null || !name.equalsIgnoreCase(tenantHeader.toString()))) {
          head.header(name, h.getValue());
        }
      }
    }
    if (r.contentType() != null) {
      head.header(HttpHeaders.CONTENT_TYPE, r.contentType());
    }
    if (r.body() != null) {
      head.header(HttpHeaders.CONTENT_LENGTH, Integer.toString(r.body().readableBytes()));
    }
    if (credentialName != null) {
      head.header(credentialName, credentialHeader.value());
    }
    if (tenantHeader != null && r.tenant() != null) {
      head.header(tenantHeader, r.tenant());
    }
    return head.end();
  }

  /**
   * A configured header that repeats one of Tollgate's own would be sent twice, and two lengths or
   * hosts are what request smuggling is made of: refused, so no such upstream is ever used. The
   * credential's header is its configuration's (every credential kind presents in that one). A
   * configuration file meets the same rule when read ({@code UpstreamConfig}), with the key's path;
   * this holds it for an upstream built in code as well.
   */
  private static void checkHeaderNames(UpstreamConfig config) {
    String tenant = UpstreamConfig.tenantHeaderProblem(config.tenantHeader());
    if (tenant != null) {
      throw new IllegalArgumentException("upstream " + config.name() + ": tenant_header " + tenant);
    }
    String credential = UpstreamConfig.credentialHeaderProblem(
        config.credential() == null ? null : config.credential().header(), config.tenantHeader());
    if (credential != null) {
      throw new IllegalArgumentException("upstream " + config.name() + ": the credential's header " + credential);
    }
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
    return pool.close();
  }

  private static String stripSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
