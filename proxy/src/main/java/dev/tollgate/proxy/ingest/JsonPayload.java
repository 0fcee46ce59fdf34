package dev.tollgate.proxy.ingest;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;

import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** An export request in OTLP/JSON, tokenized once with jackson over the caller's array. */
final class JsonPayload implements OtlpPayload {
  /** Per resource: first raw slice, end of its slices, scope array start, scope array end. */
  private static final int STRIDE = 4;

  private final SignalShape shape;
  private final byte[] buf;
  private final int origin;
  private final RawSlices slices = new RawSlices();
  private int[] table = new int[STRIDE * 8];
  private String[] names = new String[8];
  private int count;
  private long[] items;

  private JsonPayload(SignalShape shape, byte[] buf, int origin) {
    this.shape = shape;
    this.buf = buf;
    this.origin = origin;
  }

  static JsonPayload read(SignalShape shape, byte[] buf, int off, int len) {
    JsonPayload payload = new JsonPayload(shape, buf, off);
    try (JsonCursor in = new JsonCursor(buf, off, off, off + len)) {
      // Jackson would also take a byte-order mark or UTF-16; the collector takes neither.
      if (!startsWithBrace(buf, off, off + len) || in.next() != START_OBJECT) {
        throw new MalformedPayloadException(shape.requestName + " must be a JSON object");
      }
      JsonMembers members = new JsonMembers(shape.requestName, shape.requestFields);
      while (in.next() == FIELD_NAME) {
        String name = in.name();
        if (members.field(name, in) < 0) {
          throw in.fail("unknown field " + MalformedPayloadException.quote(name) + " in "
              + shape.requestName, in.tokenStart());
        }
        JsonToken value = in.next();
        if (value == START_ARRAY) {
          payload.readResources(in);
        } else if (value != VALUE_NULL) {
          throw in.fail(name + " must be an array", in.tokenStart());
        }
      }
      if (in.next() != null) {
        throw in.fail("content after the JSON object", in.tokenStart());
      }
    }
    return payload;
  }

  private static boolean startsWithBrace(byte[] buf, int start, int end) {
    int i = start;
    while (i < end && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')) {
      i++;
    }
    return i < end && buf[i] == '{';
  }

  private void readResources(JsonCursor in) {
    JsonResourceScanner scanner = new JsonResourceScanner(in, shape, slices);
    JsonToken element;
    while ((element = in.next()) != END_ARRAY) {
      if (element != START_OBJECT) {
        throw in.fail(shape.resourceName + " must be an object", in.tokenStart());
      }
      int first = slices.size();
      scanner.scan();
      add(first, scanner);
    }
  }

  private void add(int firstSlice, JsonResourceScanner scanner) {
    if (names.length == count) {
      table = Arrays.copyOf(table, table.length * 2);
      names = Arrays.copyOf(names, names.length * 2);
    }
    int row = count * STRIDE;
    table[row] = firstSlice;
    table[row + 1] = slices.size();
    table[row + 2] = scanner.scopeStart();
    table[row + 3] = scanner.scopeEnd();
    names[count++] = scanner.serviceName();
  }

  @Override
  public int resourceCount() {
    return count;
  }

  @Override
  public String serviceName(int i) {
    check(i);
    return names[i];
  }

  @Override
  public long itemCount(int i) {
    check(i);
    if (items == null) {
      items = new long[count];
      Arrays.fill(items, -1);
    }
    if (items[i] < 0) {
      int start = table[i * STRIDE + 2];
      items[i] = start < 0 ? 0
          : JsonItemCounter.count(shape, buf, origin, start, table[i * STRIDE + 3]);
    }
    return items[i];
  }

  @Override
  public ByteBuf rewrite(boolean[] keep, List<Map.Entry<String, String>> provenance, ByteBufAllocator alloc) {
    Provenance.check(count, keep, provenance);
    JsonRewriter rewriter = new JsonRewriter(buf, slices, Provenance.json(provenance));
    byte[] open = ("{\"" + shape.requestFields[0][0] + "\":[").getBytes(JsonRewriter.ASCII);
    long total = open.length + 2;
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (keep[i]) {
        total += rewriter.size(table[i * STRIDE], table[i * STRIDE + 1]) + (kept++ > 0 ? 1 : 0);
      }
    }
    return RewrittenBody.write(alloc, total, body -> {
      rewriter.start(body).put(open);
      int written = 0;
      for (int i = 0; i < count; i++) {
        if (keep[i]) {
          rewriter.put(written++ > 0 ? JsonRewriter.COMMA : JsonRewriter.NOTHING);
          rewriter.write(table[i * STRIDE], table[i * STRIDE + 1]);
        }
      }
      rewriter.put(JsonRewriter.CLOSE_REQUEST);
    });
  }

  private void check(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("resource " + i + " of " + count);
    }
  }
}
