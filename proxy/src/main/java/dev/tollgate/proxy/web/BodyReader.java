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

  /** The body could not be read, e.g. broken gzip (400). */
  public static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Reads the whole body of a paused request, resuming it. Fails with {@link TooLarge} as soon as
   * the limit is passed, or {@link Unreadable}.
   */
  public static Future<Body> read(HttpServerRequest req, int limit) {
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
    Accumulator acc = new Accumulator(initial, limit);
    req.handler(chunk -> {
      if (!promise.future().isComplete() && !acc.add(chunk)) {
        req.pause();
        promise.tryFail(new TooLarge(limit));
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
    private byte[] bytes;
    private int length;
    private final int limit;

    Accumulator(int initial, int limit) {
      this.bytes = new byte[Math.min(initial, limit)];
      this.limit = limit;
    }

    boolean add(Buffer chunk) {
      int n = chunk.length();
      if ((long) length + n > limit) {
        return false;
      }
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(length + n, bytes.length * 2)));
      }
      chunk.getBytes(0, n, bytes, length);
      length += n;
      return true;
    }
  }
}
