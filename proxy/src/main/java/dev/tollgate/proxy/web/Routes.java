package dev.tollgate.proxy.web;

import dev.tollgate.proxy.audit.AuditLog;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Dispatches requests by path. Open routes (health, published keys) answer directly; everything
 * else becomes an audited {@link Exchange} handed to the first {@link Endpoint} that claims it, and
 * a path no endpoint claims is refused with an audited 404.
 */
public final class Routes {
  private final Map<String, Handler<HttpServerRequest>> open;
  private final List<Endpoint> endpoints;
  private final AuditLog auditLog;
  private final Clock clock;

  /**
   * @param open exact paths served without authentication or audit (health, public keys)
   * @param endpoints audited endpoints, asked in order
   */
  public Routes(Map<String, Handler<HttpServerRequest>> open, List<Endpoint> endpoints, AuditLog auditLog,
      Clock clock) {
    this.open = Map.copyOf(open);
    this.endpoints = List.copyOf(endpoints);
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** Handles one request from the server. */
  public void handle(HttpServerRequest req) {
    String path = req.path();
    Handler<HttpServerRequest> o = open.get(path);
    if (o != null) {
      o.handle(req);
      return;
    }
    req.pause();
    Exchange x = new Exchange(req, auditLog, clock);
    if (!auditLog.writable()) {
      JsonErrors.fail(x, 503, "audit log not writable; refusing requests until it is");
      return;
    }
    for (Endpoint e : endpoints) {
      if (e.matches(path)) {
        e.handle(x);
        return;
      }
    }
    JsonErrors.fail(x, 404, "no such route");
  }
}
