package dev.tollgate.proxy.ingest;

/** A cursor that fills an exactly sized array with protobuf wire format. */
final class ProtoWriter {
  private final byte[] out;
  private int pos;

  ProtoWriter(byte[] out) {
    this.out = out;
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
      out[pos++] = (byte) (value & 0x7f | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return this;
  }

  /** Writes the tag and length of a length-delimited field; the caller writes the content. */
  ProtoWriter lenHeader(int field, int contentSize) {
    return varint(field << 3 | ProtoReader.LEN).varint(contentSize);
  }

  ProtoWriter bytes(byte[] src, int off, int len) {
    System.arraycopy(src, off, out, pos, len);
    pos += len;
    return this;
  }

  /** The filled array; fails if the size computed up front was wrong, which is a bug here. */
  byte[] finish() {
    if (pos != out.length) {
      throw new IllegalStateException("wrote " + pos + " of " + out.length + " bytes");
    }
    return out;
  }
}
