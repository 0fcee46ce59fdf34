package dev.tollgate.auth.upstream;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * At most one piece of asynchronous work in flight: whoever asks while it runs gets the same
 * future. Thread-safe; costs one compare-and-set per start.
 */
final class SingleFlight<T> {
  private final AtomicReference<Future<T>> inflight = new AtomicReference<>();

  /** The work in flight, or null. */
  Future<T> pending() {
    return inflight.get();
  }

  /**
   * Joins the work in flight, or starts {@code work}. {@code settle} sees the result before the
   * flight ends, so whatever it stores is in place for anyone who then finds no flight and looks.
   */
  Future<T> join(Supplier<Future<T>> work, Handler<AsyncResult<T>> settle) {
    Promise<T> promise = Promise.promise();
    Future<T> existing = inflight.compareAndExchange(null, promise.future());
    if (existing != null) {
      return existing;
    }
    Future<T> started;
    try {
      started = work.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(ar -> {
      settle.handle(ar);
      inflight.set(null);
      promise.handle(ar);
    });
    return promise.future();
  }
}
