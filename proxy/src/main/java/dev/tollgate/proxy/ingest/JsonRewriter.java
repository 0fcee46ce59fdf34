package dev.tollgate.proxy.ingest;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Writes kept OTLP/JSON resources: a new resource object (the sender's attributes minus reserved
 * ones, then provenance, then the resource's other members raw) followed by the ResourceX object's
 * other members raw. Sizes first, then fills one exactly sized buffer.
 */
final class JsonRewriter {
  static final Charset ASCII = StandardCharsets.US_ASCII;
  static final byte[] COMMA = {','};
  static final byte[] NOTHING = {};
  static final byte[] CLOSE_REQUEST = {']', '}'};
  private static final byte[] OPEN_RESOURCE = "{\"resource\":{\"attributes\":[".getBytes(ASCII);
  private static final byte[] CLOSE_ATTRIBUTES = {']'};
  private static final byte[] CLOSE_OBJECT = {'}'};

  private final byte[] buf;
  private final RawSlices slices;
  private final byte[] provenance;
  private ByteBuf out;

  JsonRewriter(byte[] buf, RawSlices slices, byte[] provenance) {
    this.buf = buf;
    this.slices = slices;
    this.provenance = provenance;
  }

  /** The size of the rewritten ResourceX object whose raw slices are {@code [first, end)}. */
  int size(int first, int end) {
    int size = OPEN_RESOURCE.length + CLOSE_ATTRIBUTES.length + 2 * CLOSE_OBJECT.length;
    int attributes = provenance.length > 0 ? 1 : 0;
    for (int s = first; s < end; s++) {
      size += slices.end(s) - slices.start(s);
      if (slices.kind(s) == RawSlices.ATTRIBUTE) {
        attributes++;
      } else {
        size += COMMA.length;
      }
    }
    return size + provenance.length + Math.max(0, attributes - 1) * COMMA.length;
  }

  /** Writes into {@code out}, from its writer index, what {@link #size} measured. */
  JsonRewriter start(ByteBuf out) {
    this.out = out;
    return this;
  }

  /** Writes the ResourceX object {@link #size} measured. */
  void write(int first, int end) {
    put(OPEN_RESOURCE);
    boolean any = false;
    for (int s = first; s < end; s++) {
      if (slices.kind(s) == RawSlices.ATTRIBUTE) {
        put(any ? COMMA : NOTHING).copy(s);
        any = true;
      }
    }
    if (provenance.length > 0) {
      put(any ? COMMA : NOTHING).put(provenance);
    }
    put(CLOSE_ATTRIBUTES);
    members(first, end, RawSlices.RESOURCE_MEMBER);
    put(CLOSE_OBJECT);
    members(first, end, RawSlices.MEMBER);
    put(CLOSE_OBJECT);
  }

  JsonRewriter put(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  private void members(int first, int end, int kind) {
    for (int s = first; s < end; s++) {
      if (slices.kind(s) == kind) {
        put(COMMA).copy(s);
      }
    }
  }

  private void copy(int slice) {
    out.writeBytes(buf, slices.start(slice), slices.end(slice) - slices.start(slice));
  }
}
