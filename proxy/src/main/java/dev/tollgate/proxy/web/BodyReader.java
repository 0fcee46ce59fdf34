package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import java.util.Arrays;

/**
 * Reads a request body into one array. A compressed body ({@link ContentCoding}) is inflated here,
 * not by the server's pipeline, and its decompressed size is counted against the same limit, so a
 * small compressed bomb is cut off at the limit, not after it inflates.
 */
public final class BodyReader {
  private BodyReader() {}

  /** The status answering a failed {@link #read}: the refusal's own, 400 for anything else. */
  public static int status(Throwable cause) {
    return cause instanceof Refused r ? r.status() : 400;
  }

  /** A body as read (decompressed): the first {@code length} bytes of {@code bytes}. */
  public record Body(byte[] bytes, int length) {}

  /** Why a body was not read, with the HTTP status that says so. */
  public abstract static class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** The body was larger than the limit, compressed or once decompressed (413). */
  public static final class TooLarge extends Refused {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit, boolean decompressed) {
      super(413, "request body exceeds " + limit + " bytes" + (decompressed ? " after decompression" : ""));
    }

    TooLarge(String reason) {
      super(413, reason);
    }
  }

  /** Too many request bytes are held across all requests right now (503, retry later). */
  public static final class Busy extends Refused {
    private static final long serialVersionUID = 1L;

    Busy() {
      super(503, "too much request data in flight, retry later");
    }
  }

  /** The body could not be read, e.g. broken gzip (400). */
  public static final class Unreadable extends Refused {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(400, reason);
    }
  }

  /** A {@code Content-Encoding} Tollgate does not read (415). */
  public static final class Unsupported extends Refused {
    private static final long serialVersionUID = 1L;

    Unsupported(String coding) {
      super(415, "Content-Encoding " + Quoted.of(coding) + " is not supported (use gzip, deflate or none)");
    }
  }

  /**
   * Reads the whole body of the exchange's paused request, resuming it, and decompresses it. The
   * memory it takes is held against the process-wide {@link InFlight} budget until the exchange is
   * answered. Fails with a {@link Refused}: {@link TooLarge} as soon as the limit is passed, {@link
   * Busy} when the budget is spent, {@link Unreadable}, or {@link Unsupported}.
   */
  public static Future<Body> read(Exchange x, int limit) {
    Http1Request req = x.request();
    if (req.response().closed()) {
      // The connection went while the exchange was busy before reading (a key refetch, say): the
      // request's failure was reported before these handlers existed, and its end will never come.
      return Future.failedFuture(new Unreadable("connection closed before the body was read"));
    }
    String encoding = req.getHeader(HttpHeaders.CONTENT_ENCODING);
    ContentCoding coding = ContentCoding.of(encoding);
    if (coding == null) {
      return Future.failedFuture(new Unsupported(encoding));
    }
    InFlight.Reservation reservation = x.budget().reserve();
    x.hold(reservation);
    Promise<Body> promise = Promise.promise();
    String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    int initial = 16 * 1024;
    if (declared != null) {
      try {
        long n = Long.parseLong(declared);
        if (n > limit) {
          return Future.failedFuture(new TooLarge(limit, false));
        }
        initial = (int) Math.max(0, n);
      } catch (NumberFormatException e) {
        return Future.failedFuture(new Unreadable("invalid Content-Length"));
      }
    }
    Accumulator acc = new Accumulator(limit, false, x.budget(), reservation);
    if (!acc.reserve(initial)) {
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
    req.endHandler(v -> {
      // The request is read: let go of the handlers, which hold the accumulated bytes and the
      // promise with the body. The request lives as long as the exchange; the body need not: a
      // large upload waiting on its upstream would keep its raw bytes next to the rewritten copy.
      req.handler(null);
      req.exceptionHandler(null);
      req.endHandler(null);
      if (!promise.future().isComplete()) {
        promise.handle(coding == ContentCoding.IDENTITY
            ? Future.succeededFuture(new Body(acc.bytes, acc.length))
            : decode(coding, acc, limit, x.budget(), reservation));
      }
    });
    if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      // Only now, with the caller authenticated and authorized and the size acceptable, is the
      // body worth sending; a request refused earlier gets its answer without sending it at all.
      req.response().writeContinue();
    }
    req.resume();
    return promise.future();
  }

  private static Future<Body> decode(ContentCoding coding, Accumulator raw, int limit, InFlight budget,
      InFlight.Reservation reservation) {
    Accumulator out = new Accumulator(limit, true, budget, reservation);
    try {
      return coding.decode(raw.bytes, raw.length, out)
          ? Future.succeededFuture(new Body(out.bytes, out.length))
          : Future.failedFuture(out.refusal);
    } catch (ContentCoding.Malformed e) {
      return Future.failedFuture(new Unreadable(e.getMessage()));
    } finally {
      // the compressed bytes are garbage now: only the decoded body stays charged
      budget.give(reservation, raw.charged);
    }
  }

  private static final class Accumulator extends ContentCoding.Sink {
    private final boolean decompressed;
    private final InFlight budget;
    private final InFlight.Reservation reservation;
    private Refused refusal;
    /** Bytes taken from the budget: the array's size, or more before the first chunk sizes it. */
    private int charged;

    Accumulator(int limit, boolean decompressed, InFlight budget, InFlight.Reservation reservation) {
      super(limit);
      this.decompressed = decompressed;
      this.budget = budget;
      this.reservation = reservation;
    }

    /**
     * Takes {@code capacity} bytes (at most the limit) from the budget for the body to come, without
     * allocating them yet: the first chunk may bring an array of exactly that size (see {@link #add}).
     */
    boolean reserve(int capacity) {
      return take(Math.min(limit, capacity));
    }

    @Override
    boolean grow(int capacity) {
      int target = Math.min(limit, capacity);
      if (target <= bytes.length) {
        return true;
      }
      if (!take(target)) {
        return false;
      }
      bytes = Arrays.copyOf(bytes, target);
      return true;
    }

    /** Charges the budget up to {@code target} bytes in all; false, with the refusal, when it cannot. */
    private boolean take(int target) {
      if (target <= charged) {
        return true;
      }
      if (!budget.take(reservation, target - charged)) {
        // Refused with nothing else held, it would be refused again on every retry: not a 503.
        refusal = budget.heldOnlyBy(reservation) ? new TooLarge("request body needs more memory than"
            + " server.max_in_flight (" + budget.limit() + " bytes) allows, with its compressed form") : new Busy();
        return false;
      }
      charged = target;
      return true;
    }

    @Override
    boolean refuseAtLimit() {
      refusal = new TooLarge(limit, decompressed);
      return false;
    }

    /**
     * Copies a chunk in; the refusal when it does not fit the limit or the budget, else null. The
     * array is allocated at the first chunk, at the reserved size: a body whose Content-Length was
     * declared is copied once, into an array of its exact size.
     */
    RuntimeException add(ByteBuf chunk) {
      int n = chunk.readableBytes();
      if ((long) length + n > limit) {
        return new TooLarge(limit, decompressed);
      }
      if (length == 0 && bytes.length < charged) {
        bytes = new byte[charged];
      }
      if (n > 0 && !ensure(n)) {
        return refusal;
      }
      chunk.getBytes(chunk.readerIndex(), bytes, length, n);
      length += n;
      return null;
    }
  }
}
