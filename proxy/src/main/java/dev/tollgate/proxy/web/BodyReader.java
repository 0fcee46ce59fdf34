package dev.tollgate.proxy.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;

/**
 * Reads a request body into one array, counting decompressed bytes (the server inflates gzip before
 * this sees the data), so a small compressed bomb is cut off at the limit, not after it inflates.
 */
public final class BodyReader {
  private BodyReader() {}

  /** A body as read: the first {@code length} bytes of {@code bytes}. */
  public record Body(byte[] bytes, int length) {}

  /** The body was larger than the limit once decompressed (413). */
  public static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("request body exceeds " + limit + " bytes after decompression", null, false, false);
    }
  }

  /** Too many request bytes are held across all requests right now (503, retry later). */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy() {
      super("too much request data in flight, retry later", null, false, false);
    }
  }

  /** The body could not be read, e.g. broken gzip (400). */
  public static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Reads the whole body of the exchange's paused request, resuming it. The memory it takes is held
   * against the process-wide {@link InFlight} budget until the exchange is answered. Fails with
   * {@link TooLarge} as soon as the limit is passed, {@link Busy} when the budget is spent, or
   * {@link Unreadable}.
   */
  public static Future<Body> read(Exchange x, int limit) {
    HttpServerRequest req = x.request();
    InFlight.Reservation reservation = x.budget().reserve();
    x.hold(reservation);
    Promise<Body> promise = Promise.promise();
    String declared = req.getHeader("content-length");
    int initial = 16 * 1024;
    if (declared != null && req.getHeader("content-encoding") == null) {
      try {
        long n = Long.parseLong(declared);
        if (n > limit) {
          return Future.failedFuture(new TooLarge(limit));
        }
        initial = (int) Math.max(0, n);
      } catch (NumberFormatException e) {
        return Future.failedFuture(new Unreadable("invalid Content-Length"));
      }
    }
    Accumulator acc = new Accumulator(limit, x.budget(), reservation);
    if (!acc.grow(initial)) {
      return Future.failedFuture(new Busy());
    }
    req.handler(chunk -> {
      if (!promise.future().isComplete()) {
        RuntimeException refused = acc.add(chunk);
        if (refused != null) {
          req.pause();
          promise.tryFail(refused);
        }
      }
    });
    req.exceptionHandler(err -> promise.tryFail(new Unreadable("request body could not be read ("
        + err.getClass().getSimpleName() + ")")));
    req.endHandler(v -> promise.tryComplete(new Body(acc.bytes, acc.length)));
    if ("100-continue".equalsIgnoreCase(req.getHeader("expect"))) {
      // Only now, with the caller authenticated and authorized and the size acceptable, is the
      // body worth sending; a request refused earlier gets its answer without sending it at all.
      req.response().writeContinue();
    }
    req.resume();
    return promise.future();
  }

  private static final class Accumulator {
    private byte[] bytes = new byte[0];
    private int length;
    private final int limit;
    private final InFlight budget;
    private final InFlight.Reservation reservation;

    Accumulator(int limit, InFlight budget, InFlight.Reservation reservation) {
      this.limit = limit;
      this.budget = budget;
      this.reservation = reservation;
    }

    /** Grows the array to hold at least {@code capacity} bytes; false when the budget refuses. */
    boolean grow(int capacity) {
      int target = Math.min(limit, capacity);
      if (target <= bytes.length) {
        return true;
      }
      if (!budget.take(reservation, target - bytes.length)) {
        return false;
      }
      bytes = Arrays.copyOf(bytes, target);
      return true;
    }

    /** Appends a chunk; the refusal when it does not fit the limit or the budget, else null. */
    RuntimeException add(Buffer chunk) {
      int n = chunk.length();
      if ((long) length + n > limit) {
        return new TooLarge(limit);
      }
      if (length + n > bytes.length && !grow(Math.max(length + n, bytes.length * 2))) {
        return new Busy();
      }
      chunk.getBytes(0, n, bytes, length);
      length += n;
      return null;
    }
  }
}
