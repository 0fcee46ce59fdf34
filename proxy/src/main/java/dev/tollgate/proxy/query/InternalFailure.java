package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Exchange;
import dev.tollgate.proxy.web.JsonErrors;
import io.vertx.core.Handler;

/**
 * The answer for a defect in a query or in Zipkin ingest: an exception nothing else caught. The
 * request still ends in an audited 500 with its request id, instead of hanging (Vert.x only logs
 * what a callback throws); the exception goes to the log, never to the client.
 */
public final class InternalFailure {
  private static final System.Logger LOG = System.getLogger(InternalFailure.class.getName());

  private InternalFailure() {}

  /** Logs {@code t} and answers 500, unless the request was answered already. */
  public static void answer(Exchange x, Throwable t) {
    LOG.log(System.Logger.Level.ERROR, "request " + x.requestId() + " failed: " + t, t);
    if (!x.done()) {
      JsonErrors.fail(x, 500, "internal error; quote the request id when reporting it");
    }
  }

  /** {@code step} as a callback whose exceptions end the request through {@link #answer}. */
  public static <T> Handler<T> guard(Exchange x, Handler<T> step) {
    return value -> {
      try {
        step.handle(value);
      } catch (RuntimeException | StackOverflowError e) {
        answer(x, e);
      }
    };
  }
}
