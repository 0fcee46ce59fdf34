package dev.tollgate.proxy.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Where a rewritten request body is written. A large one goes to a direct buffer from the pool: it
 * waits for its upstream outside the collected heap (a young collection would otherwise copy and
 * promote every one in flight), and the socket sends it without another copy. A small one stays a
 * heap array, which dies young; writing small bodies from the pool as well made the query and
 * many-callers scenarios slower (RESULTS.md), while it saved nothing a collector would notice.
 */
final class RewrittenBody {
  /** The size from which a body is written to direct memory. */
  static final int DIRECT_FROM = 64 * 1024;

  private RewrittenBody() {}

  /** Fills an empty buffer whose capacity is exactly the size measured for it. */
  @FunctionalInterface
  interface Fill {
    void into(ByteBuf body);
  }

  /**
   * A body of {@code size} bytes written by {@code fill}, for the caller to release. Fails if the
   * fill wrote another number of bytes than measured, which is a bug in the writer. Released here
   * when filling fails: nobody else holds it yet.
   */
  static ByteBuf write(ByteBufAllocator alloc, long size, Fill fill) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("rewritten request would exceed 2 GB");
    }
    ByteBuf body = size >= DIRECT_FROM ? alloc.directBuffer((int) size, (int) size) : heap((int) size);
    try {
      fill.into(body);
      requireFilled(body, size);
      return body;
    } catch (RuntimeException | Error e) {
      body.release();
      throw e;
    }
  }

  /** An empty buffer over a new array of exactly {@code size} bytes. */
  static ByteBuf heap(int size) {
    return Unpooled.wrappedBuffer(new byte[size]).clear();
  }

  /** Fails unless {@code body} holds exactly the {@code size} bytes measured for it: a writer's bug. */
  static void requireFilled(ByteBuf body, long size) {
    if (body.readableBytes() != size) {
      throw new IllegalStateException("wrote " + body.readableBytes() + " of " + size + " bytes");
    }
  }
}
