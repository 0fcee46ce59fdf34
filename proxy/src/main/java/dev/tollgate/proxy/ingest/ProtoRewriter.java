package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Rewrites one already validated ResourceX message: one merged {@code resource} with reserved
 * attributes removed and provenance appended, then every other field byte for byte. Each step
 * runs twice, first to size the output (no writer) and then to fill it, so the two cannot drift.
 */
final class ProtoRewriter {
  private static final int RESOURCE_TAG = 1 << 3 | ProtoReader.LEN;
  private static final int ATTRIBUTE_TAG = 1 << 3 | ProtoReader.LEN;
  private static final int KEY_TAG = 1 << 3 | ProtoReader.LEN;
  private static final byte[] RESERVED = OtlpPayload.RESERVED_PREFIX.getBytes(UTF_8);

  private final byte[] buf;
  private final byte[] provenance;

  ProtoRewriter(byte[] buf, byte[] provenance) {
    this.buf = buf;
    this.provenance = provenance;
  }

  /**
   * Sizes the rewritten message in {@code [start, end)}, remembers the resource and message sizes
   * in {@code sizes[at]} and {@code sizes[at + 1]}, and returns the size of its request field.
   */
  int measure(int start, int end, int[] sizes, int at) {
    int resource = resourceContent(start, end, null) + provenance.length;
    int message = ProtoWriter.lenFieldSize(resource) + otherFields(start, end, null);
    sizes[at] = resource;
    sizes[at + 1] = message;
    return ProtoWriter.lenFieldSize(message);
  }

  /** Writes what {@link #measure} sized, as one request field. */
  void write(ProtoWriter out, int start, int end, int[] sizes, int at) {
    out.lenHeader(1, sizes[at + 1]);
    out.lenHeader(1, sizes[at]);
    resourceContent(start, end, out);
    out.bytes(provenance, 0, provenance.length);
    otherFields(start, end, out);
  }

  /**
   * The fields of every {@code resource} occurrence, concatenated as the collector would merge
   * them, minus the sender's reserved attributes.
   */
  private int resourceContent(int start, int end, ProtoWriter out) {
    ProtoReader in = new ProtoReader(buf, start, start, end);
    int size = 0;
    while (in.hasMore()) {
      int tag = in.readTag();
      if (tag != RESOURCE_TAG) {
        in.skipField(tag);
        continue;
      }
      int outer = in.pushLimit(in.readLength());
      while (in.hasMore()) {
        int fieldStart = in.pos();
        int fieldTag = in.readTag();
        boolean reserved = false;
        if (fieldTag == ATTRIBUTE_TAG) {
          int length = in.readLength();
          reserved = reservedKey(in.pos(), length);
          in.skip(length);
        } else {
          in.skipField(fieldTag);
        }
        if (!reserved) {
          size += copy(out, fieldStart, in.pos());
        }
      }
      in.popLimit(outer);
    }
    return size;
  }

  private int otherFields(int start, int end, ProtoWriter out) {
    ProtoReader in = new ProtoReader(buf, start, start, end);
    int size = 0;
    while (in.hasMore()) {
      int fieldStart = in.pos();
      int tag = in.readTag();
      in.skipField(tag);
      if (tag != RESOURCE_TAG) {
        size += copy(out, fieldStart, in.pos());
      }
    }
    return size;
  }

  /** Whether the KeyValue in {@code [start, start + len)} has a key with the reserved prefix. */
  private boolean reservedKey(int start, int len) {
    ProtoReader in = new ProtoReader(buf, start, start, start + len);
    while (in.hasMore()) {
      int tag = in.readTag();
      if (tag != KEY_TAG) {
        in.skipField(tag);
        continue;
      }
      int keyLen = in.readLength();
      return keyLen >= RESERVED.length && startsWithReserved(in.pos());
    }
    return false;
  }

  private boolean startsWithReserved(int at) {
    for (int i = 0; i < RESERVED.length; i++) {
      if (buf[at + i] != RESERVED[i]) {
        return false;
      }
    }
    return true;
  }

  private int copy(ProtoWriter out, int from, int to) {
    if (out != null) {
      out.bytes(buf, from, to - from);
    }
    return to - from;
  }
}
