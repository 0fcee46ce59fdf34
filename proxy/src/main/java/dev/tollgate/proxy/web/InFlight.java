package dev.tollgate.proxy.web;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A process-wide budget for request bytes held in memory. Each request is bounded by
 * {@code server.max_body}; this bounds them all together, so a burst of large uploads is answered
 * 503 (retry later) instead of exhausting the heap.
 */
public final class InFlight {
  private final long limit;
  private final AtomicLong held = new AtomicLong();

  public InFlight(long limit) {
    this.limit = limit;
  }

  /** Bytes held right now (for metrics and tests). */
  public long held() {
    return held.get();
  }

  /** Takes {@code n} more bytes for {@code r}; false (taking nothing) when the budget is spent. */
  boolean take(Reservation r, long n) {
    long now = held.addAndGet(n);
    if (now > limit) {
      held.addAndGet(-n);
      return false;
    }
    r.bytes += n;
    return true;
  }

  /** Gives back {@code n} of the bytes {@code r} holds (memory it no longer needs). */
  void give(Reservation r, long n) {
    long back = Math.min(n, r.bytes);
    if (back > 0) {
      held.addAndGet(-back);
      r.bytes -= back;
    }
  }

  /** Whether {@code r} is all that is held: a refusal then would repeat forever, not pass. */
  boolean heldOnlyBy(Reservation r) {
    return held.get() == r.bytes;
  }

  /** The budget in bytes. */
  long limit() {
    return limit;
  }

  /** A new, empty reservation against this budget. */
  Reservation reserve() {
    return new Reservation(this);
  }

  /** Bytes one request holds; released once, when its answer is sent. */
  static final class Reservation {
    static final Reservation NONE = new Reservation(null);
    private final InFlight budget;
    private long bytes;

    private Reservation(InFlight budget) {
      this.budget = budget;
    }

    void release() {
      if (budget != null) {
        budget.give(this, bytes);
      }
    }
  }
}
