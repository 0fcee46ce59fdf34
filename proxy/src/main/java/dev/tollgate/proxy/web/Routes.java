package dev.tollgate.proxy.web;

import dev.tollgate.proxy.audit.AuditLog;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Dispatches requests by path. Open routes (health, published keys) answer GET and HEAD without a
 * body directly, and refuse anything else, audited; everything else becomes an audited {@link
 * Exchange} handed to the first {@link Endpoint} that claims it, and a path no endpoint claims is
 * refused with an audited 404.
 */
public final class Routes {
  private final Map<String, Handler<Http1Request>> open;
  private final List<Endpoint> endpoints;
  private final AuditLog auditLog;
  private final Clock clock;
  private final InFlight budget;

  /**
   * @param open exact paths whose GET and HEAD are served without authentication or audit (health,
   *     public keys)
   * @param endpoints audited endpoints, asked in order
   * @param budget the bytes all requests together may hold in memory
   */
  public Routes(Map<String, Handler<Http1Request>> open, List<Endpoint> endpoints, AuditLog auditLog,
      Clock clock, InFlight budget) {
    this.budget = budget;
    this.open = Map.copyOf(open);
    this.endpoints = List.copyOf(endpoints);
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** Handles one request from the server. */
  public void handle(Http1Request req) {
    String path = req.path();
    Handler<Http1Request> o = open.get(path);
    boolean readMethod = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
    if (o != null && readMethod && req.bodiless()) {
      o.handle(req);
      return;
    }
    req.pause();
    Exchange x = new Exchange(req, auditLog, clock, budget);
    Endpoint endpoint = null;
    for (Endpoint e : o == null ? endpoints : List.<Endpoint>of()) {
      if (e.matches(path)) {
        endpoint = e;
        x.failWith(e.failure(req));
        break;
      }
    }
    if (x.refuseUnaudited()) {
      return;
    }
    if (o != null && readMethod) {
      // an open route only reads: anything else is refused like any request, audited
      x.fail(400, "this path takes no request body");
    } else if (o != null) {
      x.response().putHeader("allow", "GET, HEAD");
      x.fail(405, "this path takes GET or HEAD");
    } else if (endpoint == null) {
      x.fail(404, "no such route");
    } else {
      try {
        endpoint.handle(x);
      } catch (RuntimeException | StackOverflowError e) {
        x.internalError(e);
      }
    }
  }

  /**
   * Answers a request the HTTP decoder refused (a header with a character HTTP does not allow, a
   * request line or header block over the limits) as any refusal is answered: audited, with a
   * reason and the request id. The reasons are fixed: the decoder's own message quotes the header
   * it refused, which may be a token. The connection closes after the answer, since the decoder
   * reads nothing more on it.
   *
   * <p>A request the decoder read, in a version other than HTTP/1.0 or 1.1 (an HTTP/2 preface, say),
   * is answered 505 the same way.
   *
   * <p>When the request line itself could not be read, the decoder stands in a {@code GET
   * /bad-request} of its own, marked as one: that is not what the client asked for, so the audit
   * records no method and no path.
   */
  public void invalid(Http1Request req) {
    Throwable cause = req.decoderResult().cause();
    boolean lineRead = req.lineRead();
    Exchange x = lineRead ? new Exchange(req, auditLog, clock, budget)
        : new Exchange(req, auditLog, clock, budget, null, null);
    x.closeAfterAnswer();
    try {
      // The connection closes once the answer is out: make it linger, or the sender's unsent body
      // may come back as a reset that destroys the answer
      req.connection().linger();
      if (cause == null) {
        x.fail(505, "HTTP version not supported: use HTTP/1.1");
      } else if (cause instanceof Http1Framing.Refusal r) {
        x.fail(r.status, r.getMessage());
      } else if (cause instanceof TooLongHttpLineException) {
        x.fail(414, "request line longer than the server accepts");
      } else if (cause instanceof TooLongHttpHeaderException) {
        x.fail(431, "request headers larger than the server accepts");
      } else if (cause instanceof PrematureChannelClosureException) {
        x.fail(400, "connection closed before the request headers ended");
      } else {
        x.fail(400, "malformed HTTP request: a request line or header that HTTP/1.1 does not allow");
      }
    } catch (RuntimeException e) {
      req.closeConnection(); // no answer will end this one
      throw e;
    }
  }
}
