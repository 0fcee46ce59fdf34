package dev.tollgate.proxy.web;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Byte arrays as Vert.x buffers. */
public final class Buffers {
  private Buffers() {}

  /**
   * {@code bytes} as a Buffer without copying them ({@link Buffer#buffer(byte[])} copies). The array
   * must not change afterwards: the buffer, and anything written from it, reads it in place.
   */
  public static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }

  /** The first {@code length} bytes of {@code bytes}, as {@link #wrap(byte[])} does. */
  public static Buffer wrap(byte[] bytes, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, length));
  }
}
