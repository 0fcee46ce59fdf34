package dev.tollgate.proxy.upstream;

import dev.tollgate.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

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

  public Upstream(Vertx vertx, UpstreamConfig config, UpstreamCredential credential) {
    this.config = config;
    this.credential = credential;
    String path = config.url().getRawPath();
    this.basePath = path == null || path.equals("/") ? "" : stripSlash(path);
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
   * POSTs {@code body} to {@code basePath + path}, with the credential and the tenant header set
   * (replacing any value). Fails when the upstream cannot be reached or does not answer in time.
   */
  public Future<UpstreamReply> post(String path, String contentType, Buffer body, String tenant, MultiMap extra) {
    return send(UpstreamRequest.post(path, contentType, body, tenant, extra));
  }

  /**
   * Sends {@code r} with Tollgate's credential and the tenant header set (replacing any value), and
   * reads the answer up to {@code r.maxResponseBytes()}. Fails with {@link UpstreamUnavailable}
   * when no credential is loaded, {@link ResponseTooLarge}, or the client's own error when the
   * upstream cannot be reached or does not answer in time.
   */
  public Future<UpstreamReply> send(UpstreamRequest r) {
    RequestOptions req = new RequestOptions()
        .setMethod(r.method())
        .setURI(basePath + r.pathAndQuery())
        .setTimeout(config.timeout().toMillis());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (r.headers() != null) {
      headers.addAll(r.headers());
    }
    if (r.contentType() != null) {
      headers.set("content-type", r.contentType());
    }
    if (credential.header() != null) {
      String value = credential.headerValue();
      if (value == null) {
        return Future.failedFuture(new UpstreamUnavailable("no upstream credential loaded"));
      }
      headers.set(credential.header(), value);
    }
    if (config.tenantHeader() != null && r.tenant() != null) {
      headers.set(config.tenantHeader(), r.tenant());
    }
    req.setHeaders(headers);
    return client.request(req)
        .compose(c -> r.body() == null ? c.send() : c.send(r.body()))
        .compose(resp -> read(resp, r.maxResponseBytes()));
  }

  private Future<UpstreamReply> read(HttpClientResponse resp, long limit) {
    if (declaredLength(resp) > limit) {
      resp.request().reset();
      return Future.failedFuture(new ResponseTooLarge(limit));
    }
    Promise<UpstreamReply> done = Promise.promise();
    Buffer body = Buffer.buffer();
    resp.handler(chunk -> {
      if (body.length() + (long) chunk.length() > limit) {
        if (done.tryFail(new ResponseTooLarge(limit))) {
          resp.request().reset();
        }
      } else {
        body.appendBuffer(chunk);
      }
    });
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> done.tryComplete(new UpstreamReply(resp.statusCode(), body,
        resp.getHeader("content-type"), resp.getHeader("retry-after"))));
    return done.future();
  }

  private static long declaredLength(HttpClientResponse resp) {
    String declared = resp.getHeader("content-length");
    try {
      return declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // an unreadable length is not trusted to be small
    }
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
