package dev.tollgate.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;

/**
 * One request to an upstream, from asking the pool for a connection to the last byte of the
 * answer, under one deadline. Confined to its pool's event loop.
 */
final class UpstreamCall {
  final RequestHead head;
  /** The body, or null; owned by the caller of {@link Upstream#send}, which outlives the call. */
  final ByteBuf body;
  final long maxResponseBytes;
  /** Whether sending it twice is harmless: a GET. */
  private final boolean replayable;
  private ConnectionPool.Loop pool;
  private boolean replayed;
  private final Promise<UpstreamReply> result;
  private final long timeoutMillis;
  private UpstreamConnection connection;
  private boolean over;
  /** When the call's time is up, by {@link System#nanoTime()}. */
  long deadlineNanos;
  /** Neighbours in its pool loop's {@link ConnectionPool.Deadlines}, while it is there. */
  UpstreamCall earlier;
  UpstreamCall later;

  UpstreamCall(RequestHead head, ByteBuf body, boolean replayable, long maxResponseBytes, long timeoutMillis,
      Promise<UpstreamReply> result) {
    this.head = head;
    this.replayable = replayable;
    this.body = body;
    this.maxResponseBytes = maxResponseBytes;
    this.timeoutMillis = timeoutMillis;
    this.result = result;
  }

  /** Starts the deadline and asks {@code pool} for a connection; on the pool's loop. */
  void start(ConnectionPool.Loop pool) {
    this.pool = pool;
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    pool.deadlines.add(this);
    pool.acquire(this);
  }

  /** Sends on {@code c}; false, and {@code c} untouched, when the call is already over. */
  boolean granted(UpstreamConnection c) {
    if (over) {
      return false;
    }
    connection = c;
    c.exchange(this);
    return true;
  }

  /** What is left of the call's time, in milliseconds (0 when it is up). */
  long millisLeft() {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /**
   * Asks for another connection to send this call on, once, when it is replayable and not over:
   * for a request whose kept-alive connection was closed under it before a byte of the answer
   * came. An ingest POST is never sent twice by Tollgate: the upstream may have taken it.
   */
  boolean replay() {
    if (!replayable || replayed || over) {
      return false;
    }
    replayed = true;
    connection = null;
    pool.acquireFresh(this);
    return true;
  }

  boolean isOver() {
    return over;
  }

  void answered(UpstreamReply reply) {
    if (end()) {
      result.tryComplete(reply);
    }
  }

  void failed(Throwable err) {
    if (end()) {
      result.tryFail(err);
    }
  }

  private boolean end() {
    if (over) {
      return false;
    }
    over = true;
    if (pool != null) {
      pool.deadlines.remove(this);
    }
    return true;
  }

  /** The call's time is up: it fails, and a connection it holds is not used again. */
  void timedOut() {
    UpstreamFailed late = new UpstreamFailed("upstream did not answer within " + timeoutMillis + " ms");
    if (connection != null) {
      connection.abort(this, late); // mid-exchange: the connection cannot be reused
    } else {
      failed(late); // still waiting for a connection; the pool skips it when one frees up
    }
  }
}
