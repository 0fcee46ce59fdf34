package dev.tollgate.proxy.web;

import dev.tollgate.auth.Caller;
import dev.tollgate.auth.upstream.OnBehalfOf;
import dev.tollgate.proxy.audit.AuditLog;
import dev.tollgate.proxy.audit.AuditRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * One request on its way through the pipeline: its id, its audit record, and the single place where
 * a response is sent, so that no answer leaves without an audit event and a request id.
 */
public final class Exchange {
  private static final System.Logger LOG = System.getLogger(Exchange.class.getName());
  /** How long, and how many bytes of an unread body, a refused request's connection is drained. */
  static final long LINGER_MILLIS = 5_000;
  static final long LINGER_BYTES = 16L << 20;
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  /** The W3C trace context header: read for the audit's trace id, and passed on upstream. */
  public static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  private static final Pattern TRACEPARENT_VALUE = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
  private final Http1Request request;
  private final AuditRecord audit;
  private final AuditLog auditLog;
  private final boolean tokenInPath;
  private boolean bodyRead;
  private boolean done;
  private boolean closeAfterAnswer;
  private boolean answersWithData;
  private Failure failure = JsonErrors::fail;
  private InFlight.Reservation reservation = InFlight.Reservation.NONE;
  private Caller caller;
  // The caller's raw token, kept only for token exchange (RFC 8693); never audited, logged or forwarded.
  private String callerToken;

  private final InFlight budget;

  Exchange(Http1Request request, AuditLog auditLog, Clock clock, InFlight budget) {
    this(request, auditLog, clock, budget, request.method().name(), request.path());
  }

  /** An exchange audited with {@code method} and {@code path} (null: not known) instead of the request's. */
  Exchange(Http1Request request, AuditLog auditLog, Clock clock, InFlight budget, String method, String path) {
    this.request = request;
    this.auditLog = auditLog;
    this.budget = budget;
    // a path that holds a token (refused by Authenticator) is not written down
    this.tokenInPath = path != null && Quoted.holdsToken(path);
    this.audit = new AuditRecord(clock.instant(), System.nanoTime(), RequestIds.next(), traceId(request),
        request.remoteAddress(), method, tokenInPath ? Quoted.WITHHELD : path);
  }

  /** Whether the path holds what looks like a token (the audit record has it withheld). */
  boolean tokenInPath() {
    return tokenInPath;
  }

  public Http1Request request() {
    return request;
  }

  public AuditRecord audit() {
    return audit;
  }

  public String requestId() {
    return audit.requestId();
  }

  /** Records the verified caller (also on the audit record) and its token, for upstream credentials. */
  public void authenticated(Caller caller, String token) {
    this.caller = caller;
    this.callerToken = token;
    audit.caller(caller);
  }

  /**
   * Whom an upstream request for {@code project} is made on behalf of: the verified caller and its
   * token, or {@link OnBehalfOf#NOBODY}'s parts when the request was not authenticated.
   */
  public OnBehalfOf onBehalfOf(String project) {
    return new OnBehalfOf(caller, callerToken, project);
  }

  /** How this exchange answers errors: JSON by default, OTLP's encodings for OTLP endpoints. */
  @FunctionalInterface
  public interface Failure {
    void fail(Exchange x, int status, String reason);
  }

  /** Sets how errors are answered from now on (an endpoint that knows its protocol sets this first). */
  public void failWith(Failure f) {
    this.failure = f;
  }

  /** Answers an error in this exchange's protocol, with the reason and the request id; audited. */
  public void fail(int status, String reason) {
    failure.fail(this, status, reason);
  }

  /**
   * Answers 500 for a defect (an exception nothing else caught), so that even a bug ends in an
   * audited answer rather than a hung request. The exception goes to the log, not to the client.
   */
  public void internalError(Throwable t) {
    LOG.log(System.Logger.Level.ERROR, "request " + requestId() + " failed: " + t, t);
    if (!done) {
      fail(500, "internal error");
    }
  }

  /**
   * Wraps an asynchronous step so an exception thrown inside it still ends the exchange with a 500
   * (Vert.x would otherwise only log it and leave the request hanging).
   */
  public <T> io.vertx.core.Handler<T> guard(io.vertx.core.Handler<T> step) {
    return value -> {
      try {
        step.handle(value);
      } catch (RuntimeException | StackOverflowError e) {
        internalError(e);
      }
    };
  }

  InFlight budget() {
    return budget;
  }

  /** Holds body bytes against the process-wide in-flight budget until the answer is sent. */
  void hold(InFlight.Reservation r) {
    this.reservation = r;
  }

  /** Closes the connection after the answer, whatever was read: nothing more can be read on it. */
  void closeAfterAnswer() {
    closeAfterAnswer = true;
  }

  /**
   * Says that the answer carries what the caller reads (traces, services): it is withheld, 503,
   * when the audit log does not take its event.
   */
  public void answersWithData() {
    answersWithData = true;
  }

  /**
   * The last check before a write leaves for its upstream: when the audit log takes no events now,
   * answers 503 and returns true, and nothing may be sent.
   */
  public boolean refuseUnaudited() {
    if (auditLog.writable()) {
      return false;
    }
    fail(503, "audit log not writable; refusing requests until it is");
    return true;
  }

  /** Marks the body as consumed, so the connection can be kept alive after the answer. */
  public void bodyRead() {
    bodyRead = true;
  }

  /**
   * Sends the response and records the audit event. A body left unread closes the connection, so
   * that no unread bytes are taken for the next request.
   */
  public void respond(int status, String contentType, Buffer body) {
    if (done) {
      return;
    }
    // Fails closed for reads: their answer leaves only once its audit event is taken. Routes
    // checked the log when the request came in; it may have failed, or its queue filled, while the
    // request waited on its backend. (A write's data left before its answer: refuseUnaudited is
    // its last check, and withholding its acknowledgement would only have it sent twice.)
    boolean recorded = auditLog.record(audit.finish(status, System.nanoTime()));
    if (!recorded && status < 400 && answersWithData) {
      request.response().headers().clear(); // counts of what the withheld answer held
      fail(503, "audit log not writable; the answer is withheld until it is");
      return;
    }
    done = true;
    reservation.release();
    Http1Response resp = request.response();
    resp.setStatusCode(status);
    resp.putHeader(X_REQUEST_ID, audit.requestId());
    if (contentType != null) {
      resp.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    // The connection is kept only when no body bytes can be left on it.
    boolean close = closeAfterAnswer || !bodyRead && !request.bodiless();
    if (close) {
      resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    if (resp.closed()) {
      return;
    }
    var sent = resp.end(body == null ? Buffer.buffer() : body);
    if (!close && !bodyRead) {
      // Routes paused the request: let its end through, or the connection never takes the next one.
      request.resume();
    } else if (close) {
      // The unread body may still be arriving: close once the answer is out, without waiting for
      // the whole body.
      sent.onComplete(ar -> {
        if (ar.succeeded()) {
          discardThenClose(request);
        } else {
          request.closeConnection(); // the connection is gone already: nothing to drain
        }
      });
    }
  }

  /**
   * Closes the connection of a request whose body was not read. Closing while the sender is still
   * sending makes the kernel answer with a reset, which can destroy the answer on its way (the
   * sender then sees a broken connection instead of our 401, 413 or 503), so the rest of the body
   * is read and dropped first, as nginx's lingering close does: until it ends, for at most {@link
   * #LINGER_MILLIS} and {@link #LINGER_BYTES}.
   */
  private static void discardThenClose(Http1Request request) {
    Context context = Vertx.currentContext();
    if (request.isEnded() || context == null) {
      request.closeConnection();
      return;
    }
    Vertx vertx = context.owner();
    long timer = vertx.setTimer(LINGER_MILLIS, id -> request.closeConnection());
    long[] dropped = {0};
    boolean[] closed = {false};
    Runnable close = () -> {
      if (!closed[0]) {
        closed[0] = true;
        vertx.cancelTimer(timer);
        request.closeConnection();
      }
    };
    request.handler(chunk -> {
      dropped[0] += chunk.readableBytes();
      if (dropped[0] > LINGER_BYTES) {
        close.run();
      }
    });
    request.exceptionHandler(err -> close.run());
    request.endHandler(v -> close.run());
    request.resume();
  }

  /** The response headers, for the few answers that need more than status and body. */
  public Http1Response response() {
    return request.response();
  }

  public boolean done() {
    return done;
  }

  private static String traceId(Http1Request req) {
    String tp = req.getHeader(TRACEPARENT);
    if (tp != null && TRACEPARENT_VALUE.matcher(tp).matches()) {
      return tp.substring(3, 35);
    }
    return null;
  }
}
