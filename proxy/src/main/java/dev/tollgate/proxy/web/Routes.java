package dev.tollgate.proxy.web;

import dev.tollgate.policy.Signal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import dev.tollgate.proxy.audit.AuditLog;

/**
 * Dispatches requests by path. Plain string matching rather than a router: the hot path is three
 * fixed suffixes, and anything unknown is refused with an audited 404.
 */
public final class Routes {
  /** The ingest pipeline, implemented by the ingest package. */
  @FunctionalInterface
  public interface IngestRoute {
    void handle(Exchange x, Signal signal, String pathProject);
  }

  private static final String PROJECTS = "/projects/";
  private final IngestRoute ingest;
  private final Readiness readiness;
  private final AuditLog auditLog;
  private final Clock clock;

  public Routes(IngestRoute ingest, Readiness readiness, AuditLog auditLog, Clock clock) {
    this.ingest = ingest;
    this.readiness = readiness;
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** Handles one request from the server. */
  public void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.equals("/healthz")) {
      req.response().putHeader("content-type", "text/plain").end("ok\n");
      return;
    }
    if (path.equals("/readyz")) {
      ready(req);
      return;
    }
    req.pause();
    Exchange x = new Exchange(req, auditLog, clock);
    if (!auditLog.writable()) {
      JsonErrors.fail(x, 503, "audit log not writable; refusing requests until it is");
      return;
    }
    String project = null;
    String rest = path;
    if (path.startsWith(PROJECTS)) {
      int slash = path.indexOf('/', PROJECTS.length());
      if (slash < 0) {
        JsonErrors.fail(x, 404, "no such route");
        return;
      }
      project = path.substring(PROJECTS.length(), slash);
      rest = path.substring(slash);
    }
    Signal signal = rest.startsWith("/v1/") ? Signal.parse(rest.substring(4)) : null;
    if (signal == null) {
      JsonErrors.fail(x, 404, "no such route");
    } else if (req.method() != HttpMethod.POST) {
      x.response().putHeader("allow", "POST");
      JsonErrors.fail(x, 405, "OTLP export takes POST");
    } else {
      ingest.handle(x, signal, project);
    }
  }

  private void ready(HttpServerRequest req) {
    var missing = readiness.notReady();
    JsonObject body = new JsonObject().put("ready", missing.isEmpty());
    if (!missing.isEmpty()) {
      body.put("waiting_for", new JsonArray(missing));
    }
    req.response().setStatusCode(missing.isEmpty() ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(Buffer.buffer(body.encode()));
  }
}
