package dev.tollgate.proxy.ingest;

import io.netty.buffer.ByteBuf;

/** A cursor that fills an exactly sized buffer with protobuf wire format. */
final class ProtoWriter {
  private final ByteBuf out;

  /** Writes into {@code out}, from its writer index; its owner checks that it was filled. */
  ProtoWriter(ByteBuf out) {
    this.out = out;
  }

  /** A writer of exactly {@code size} bytes into a new array, for {@link #finishArray}. */
  static ProtoWriter ofArray(int size) {
    return new ProtoWriter(RewrittenBody.heap(size));
  }

  static int varintSize(long value) {
    // 1 byte per started group of 7 bits, at least one byte.
    return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
  }

  /** Size of a length-delimited field of {@code contentSize} bytes with a field number below 16. */
  static int lenFieldSize(int contentSize) {
    return 1 + varintSize(contentSize) + contentSize;
  }

  ProtoWriter varint(long value) {
    while ((value & ~0x7fL) != 0) {
      out.writeByte((int) (value & 0x7f | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
    return this;
  }

  /** Writes the tag and length of a length-delimited field; the caller writes the content. */
  ProtoWriter lenHeader(int field, int contentSize) {
    return varint(field << 3 | ProtoReader.LEN).varint(contentSize);
  }

  ProtoWriter bytes(byte[] src, int off, int len) {
    out.writeBytes(src, off, len);
    return this;
  }

  /**
   * The filled array of a writer made by {@link #ofArray}; fails if the size computed up front was
   * wrong, which is a bug here.
   */
  byte[] finishArray() {
    RewrittenBody.requireFilled(out, out.capacity());
    return out.array();
  }
}
