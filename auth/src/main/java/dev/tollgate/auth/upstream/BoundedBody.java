package dev.tollgate.auth.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.util.function.Supplier;

/**
 * Reads an HTTP response body up to a limit. A declared length over the limit is refused before a
 * byte is read; a longer stream is cut off as soon as it passes the limit, so a misbehaving server
 * cannot make Tollgate buffer without bound.
 */
public final class BoundedBody {
  private static final int PRESIZE = 256 * 1024;

  private BoundedBody() {}

  /** The whole body, or a failure with {@code tooLarge}'s exception (the request is then reset). */
  public static Future<Buffer> read(HttpClientResponse resp, long limit, Supplier<RuntimeException> tooLarge) {
    long declared = declaredLength(resp);
    if (declared > limit) {
      resp.request().reset();
      return Future.failedFuture(tooLarge.get());
    }
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer(presize(declared));
    resp.handler(chunk -> {
      if (body.length() + (long) chunk.length() > limit) {
        if (done.tryFail(tooLarge.get())) {
          resp.request().reset();
        }
      } else {
        body.appendBuffer(chunk);
      }
    });
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> done.tryComplete(body));
    return done.future();
  }

  /**
   * The first allocation for a body of {@code declared} bytes (-1 when not declared): sized once
   * when the length is declared, instead of doubled and copied while the chunks come, but only up
   * to 256 KiB, so that a server cannot make Tollgate reserve its limit with a header alone.
   */
  public static int presize(long declared) {
    return declared > 0 ? (int) Math.min(declared, PRESIZE) : 0;
  }

  private static long declaredLength(HttpClientResponse resp) {
    String declared = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // an unreadable length is not trusted to be small
    }
  }
}
