package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
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

  /**
   * The bytes of {@code buffer}: its own array when it fills one exactly (a body read into a buffer
   * sized from its Content-Length), else a copy. The caller must not change them.
   */
  public static byte[] bytes(Buffer buffer) {
    byte[] filled = filledArray(((BufferInternal) buffer).getByteBuf());
    return filled != null ? filled : buffer.getBytes();
  }

  /** The array whose every byte, from the first, is {@code b}'s readable bytes; else null. */
  private static byte[] filledArray(ByteBuf b) {
    if (b.hasArray() && b.arrayOffset() + b.readerIndex() == 0 && b.readableBytes() == b.array().length) {
      return b.array();
    }
    return null;
  }
}
