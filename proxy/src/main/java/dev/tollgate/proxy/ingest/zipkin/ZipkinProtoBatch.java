package dev.tollgate.proxy.ingest.zipkin;

import java.nio.charset.StandardCharsets;

/**
 * Zipkin proto3 {@code ListOfSpans}: only field 1 (spans). Zipkin's decoder treats any top-level
 * field as a span and keeps the last of two local endpoints where protobuf would merge them, so
 * both are refused, as is a known field sent with an unexpected wire type.
 */
final class ZipkinProtoBatch extends ZipkinBatch {
  private static final int LEN = 2;
  private static final int SPAN_TAG = 1 << 3 | LEN;
  private static final int LOCAL_ENDPOINT = 8;
  private static final int SERVICE_NAME = 1;
  private final byte[] buf;
  private final int limit;
  private int pos;

  private ZipkinProtoBatch(byte[] buf, int len) {
    super(buf);
    this.buf = buf;
    this.limit = len;
  }

  static ZipkinProtoBatch read(byte[] buf, int len) {
    ZipkinProtoBatch batch = new ZipkinProtoBatch(buf, len);
    while (batch.pos < len) {
      int start = batch.pos;
      if (batch.varint() != SPAN_TAG) {
        throw new MalformedSpans("ListOfSpans holds a field other than spans (1) at byte " + start);
      }
      int length = batch.length(len);
      int end = batch.pos + length;
      String service = batch.span(end, batch.size());
      batch.add(start, end, service);
    }
    return batch;
  }

  private String span(int end, int index) {
    String service = null;
    boolean seen = false;
    while (pos < end) {
      int tag = tag();
      if (tag >>> 3 == LOCAL_ENDPOINT) {
        if (seen || (tag & 7) != LEN) {
          throw new MalformedSpans("span " + index + " has its local endpoint twice or with the wrong wire type");
        }
        seen = true;
        int length = length(end);
        service = endpoint(pos + length, index);
      } else {
        skip(tag, end);
      }
    }
    requireEnd(end);
    return service;
  }

  private String endpoint(int end, int index) {
    String service = null;
    boolean seen = false;
    while (pos < end) {
      int tag = tag();
      if (tag >>> 3 == SERVICE_NAME) {
        if (seen || (tag & 7) != LEN) {
          throw new MalformedSpans("span " + index + " has its service name twice or with the wrong wire type");
        }
        seen = true;
        int length = length(end);
        requireUtf8(buf, pos, pos + length, "span " + index + " service name");
        service = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
      } else {
        skip(tag, end);
      }
    }
    requireEnd(end);
    return service;
  }

  /** A field that ran past its message's end would be read differently by each decoder. */
  private void requireEnd(int end) {
    if (pos != end) {
      throw new MalformedSpans("a field runs past the end of its message at byte " + end);
    }
  }

  private int tag() {
    int at = pos;
    long tag = varint();
    if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE || (tag & 7) == 3 || (tag & 7) == 4 || (tag & 7) > 5) {
      throw new MalformedSpans("invalid field tag at byte " + at);
    }
    return (int) tag;
  }

  private void skip(int tag, int end) {
    switch (tag & 7) {
      case 0 -> varint();
      case 1 -> pos = checkedEnd(8, end);
      case 2 -> pos = checkedEnd(length(end), end);
      default -> pos = checkedEnd(4, end);
    }
  }

  private int length(int end) {
    long n = varint();
    if (n > end - pos) {
      throw new MalformedSpans("length runs past the end of its message at byte " + pos);
    }
    return (int) n;
  }

  private int checkedEnd(int n, int end) {
    if (n > end - pos) {
      throw new MalformedSpans("truncated field at byte " + pos);
    }
    return pos + n;
  }

  private long varint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new MalformedSpans("truncated varint at byte " + pos);
      }
      int b = buf[pos++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new MalformedSpans("varint longer than 10 bytes at byte " + pos);
  }

  @Override
  byte[] rewrite(boolean[] keep) {
    byte[] out = new byte[keptBytes(keep)];
    copyKept(keep, out, 0, -1);
    return out;
  }
}
