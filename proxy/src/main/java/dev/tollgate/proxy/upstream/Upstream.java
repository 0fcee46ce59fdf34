package dev.tollgate.proxy.upstream;

import dev.tollgate.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
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
    RequestOptions req = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setURI(basePath + path)
        .setTimeout(config.timeout().toMillis());
    MultiMap headers = req.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : req.getHeaders();
    if (extra != null) {
      headers.addAll(extra);
    }
    headers.set("content-type", contentType);
    if (credential.header() != null) {
      String value = credential.headerValue();
      if (value == null) {
        return Future.failedFuture(new UpstreamUnavailable("no upstream credential loaded"));
      }
      headers.set(credential.header(), value);
    }
    if (config.tenantHeader() != null && tenant != null) {
      headers.set(config.tenantHeader(), tenant);
    }
    req.setHeaders(headers);
    return client.request(req)
        .compose(r -> r.send(body))
        .compose(this::read);
  }

  private Future<UpstreamReply> read(HttpClientResponse resp) {
    return resp.body().map(b -> new UpstreamReply(resp.statusCode(), b,
        resp.getHeader("content-type"), resp.getHeader("retry-after")));
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
