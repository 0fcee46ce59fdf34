package dev.tollgate.proxy.ingest;

/**
 * A cursor over protobuf wire format in a caller's array. It checks framing strictly (varint
 * length and overflow, lengths within the enclosing message, no groups) and never allocates
 * except to throw.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int I64 = 1;
  static final int LEN = 2;
  static final int I32 = 5;
  private static final long MAX_FIELD = (1L << 29) - 1;
  private static final String[] WIRE_TYPES = {"varint", "i64", "len", "", "", "i32"};

  private final byte[] buf;
  /** Where the payload starts, so errors give offsets the sender can find. */
  private final int origin;
  private int pos;
  private int limit;

  ProtoReader(byte[] buf, int origin, int start, int end) {
    this.buf = buf;
    this.origin = origin;
    this.pos = start;
    this.limit = end;
  }

  static int fieldNumber(int tag) {
    return tag >>> 3;
  }

  static int wireType(int tag) {
    return tag & 7;
  }

  byte[] buf() {
    return buf;
  }

  int pos() {
    return pos;
  }

  boolean hasMore() {
    return pos < limit;
  }

  /** Confines reading to the next {@code len} bytes; returns what {@link #popLimit} restores. */
  int pushLimit(int len) {
    int outer = limit;
    limit = pos + len;
    return outer;
  }

  void popLimit(int outer) {
    pos = limit;
    limit = outer;
  }

  /** A new reader over {@code len} bytes from {@code start}, reporting offsets like this one. */
  ProtoReader slice(int start, int len) {
    return new ProtoReader(buf, origin, start, start + len);
  }

  int readTag() {
    int at = pos;
    long tag = readVarint();
    long field = tag >>> 3;
    int wireType = (int) tag & 7;
    if (field == 0 || field > MAX_FIELD) {
      throw fail("invalid field number " + field, at);
    }
    if (wireType == 3 || wireType == 4) {
      throw fail("group wire type in field " + field + " is not accepted", at);
    }
    if (wireType > I32) {
      throw fail("invalid wire type " + wireType + " in field " + field, at);
    }
    return (int) tag;
  }

  long readVarint() {
    int at = pos;
    // Most varints in OTLP are one byte: every tag, and the lengths of attributes and names.
    if (at < limit && buf[at] >= 0) {
      pos = at + 1;
      return buf[at];
    }
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw fail("truncated varint", at);
      }
      int b = buf[pos++];
      if (shift == 63 && (b & 0xff) > 1) {
        throw fail("varint longer than 64 bits", at);
      }
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw fail("varint longer than 10 bytes", at);
  }

  /** Reads a length prefix and checks the content fits in the enclosing message. */
  int readLength() {
    int at = pos;
    long len = readVarint();
    if (len > limit - pos) {
      throw fail("length " + len + " runs past the end of its message", at);
    }
    return (int) len;
  }

  void skip(int len) {
    if (len > limit - pos) {
      throw fail("truncated fixed-size field", pos);
    }
    pos += len;
  }

  /** Skips the value of a field whose tag was just read. */
  void skipField(int tag) {
    switch (wireType(tag)) {
      case VARINT -> readVarint();
      case I64 -> skip(8);
      case LEN -> skip(readLength());
      default -> skip(4);
    }
  }

  /** Refuses a known field sent with another wire type, which readers treat differently. */
  void expect(int tag, int wireType, String field) {
    expect(tag, wireType, field, "");
  }

  /**
   * As {@link #expect(int, int, String)} for the field named {@code owner + suffix}: the name is
   * put together only when it goes into an error, not for every field that is read.
   */
  void expect(int tag, int wireType, String owner, String suffix) {
    if (wireType(tag) != wireType) {
      throw fail(owner + suffix + " (field " + fieldNumber(tag) + ") has wire type "
          + WIRE_TYPES[wireType(tag)] + ", expected " + WIRE_TYPES[wireType], pos);
    }
  }

  MalformedPayloadException fail(String reason, int at) {
    return new MalformedPayloadException(reason + " at byte " + (at - origin));
  }
}
