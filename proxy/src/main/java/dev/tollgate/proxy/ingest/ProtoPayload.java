package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** An export request in protobuf, read by hand over the caller's array. */
final class ProtoPayload implements OtlpPayload {
  /** Export*ServiceRequest.resource_* = 1, length-delimited. */
  private static final int RESOURCES_TAG = 1 << 3 | ProtoReader.LEN;
  /** Per resource: message start, message end, service name start, service name length or -1. */
  private static final int STRIDE = 4;

  private final SignalShape shape;
  private final byte[] buf;
  private final int origin;
  private int[] table = new int[STRIDE * 8];
  private int count;
  private String[] names;
  private long[] items;

  private ProtoPayload(SignalShape shape, byte[] buf, int origin) {
    this.shape = shape;
    this.buf = buf;
    this.origin = origin;
  }

  static ProtoPayload read(SignalShape shape, byte[] buf, int off, int len) {
    ProtoPayload payload = new ProtoPayload(shape, buf, off);
    ProtoReader in = new ProtoReader(buf, off, off, off + len);
    ProtoResourceScanner scanner = new ProtoResourceScanner(in, shape);
    while (in.hasMore()) {
      int at = in.pos();
      int tag = in.readTag();
      if (tag != RESOURCES_TAG) {
        throw in.fail(ProtoReader.fieldNumber(tag) == 1
            ? shape.resourcesField + " is not length-delimited"
            : "unknown field " + ProtoReader.fieldNumber(tag) + " in " + shape.requestName, at);
      }
      int length = in.readLength();
      int start = in.pos();
      scanner.scan(length);
      payload.add(start, start + length, scanner.nameStart(), scanner.nameLen());
    }
    return payload;
  }

  private void add(int start, int end, int nameStart, int nameLen) {
    if (table.length < (count + 1) * STRIDE) {
      table = Arrays.copyOf(table, table.length * 2);
    }
    int row = count++ * STRIDE;
    table[row] = start;
    table[row + 1] = end;
    table[row + 2] = nameStart;
    table[row + 3] = nameLen;
  }

  @Override
  public int resourceCount() {
    return count;
  }

  @Override
  public String serviceName(int i) {
    int row = row(i);
    if (table[row + 3] < 0) {
      return null;
    }
    if (names == null) {
      names = new String[count];
    }
    if (names[i] == null) {
      names[i] = new String(buf, table[row + 2], table[row + 3], UTF_8);
    }
    return names[i];
  }

  @Override
  public long itemCount(int i) {
    int row = row(i);
    if (items == null) {
      items = new long[count];
      Arrays.fill(items, -1);
    }
    if (items[i] < 0) {
      ProtoReader in = new ProtoReader(buf, origin, table[row], table[row + 1]);
      items[i] = ProtoItemCounter.count(shape, in);
    }
    return items[i];
  }

  @Override
  public ByteBuf rewrite(boolean[] keep, List<Map.Entry<String, String>> provenance, ByteBufAllocator alloc) {
    Provenance.check(count, keep, provenance);
    ProtoRewriter rewriter = new ProtoRewriter(buf, Provenance.proto(provenance));
    int[] sizes = new int[count * 2];
    long total = 0;
    for (int i = 0; i < count; i++) {
      if (keep[i]) {
        total += rewriter.measure(table[i * STRIDE], table[i * STRIDE + 1], sizes, i * 2);
      }
    }
    return RewrittenBody.write(alloc, total, body -> {
      ProtoWriter out = new ProtoWriter(body);
      for (int i = 0; i < count; i++) {
        if (keep[i]) {
          rewriter.write(out, table[i * STRIDE], table[i * STRIDE + 1], sizes, i * 2);
        }
      }
    });
  }

  private int row(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("resource " + i + " of " + count);
    }
    return i * STRIDE;
  }
}
