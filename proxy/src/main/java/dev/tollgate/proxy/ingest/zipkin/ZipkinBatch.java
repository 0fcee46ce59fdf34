package dev.tollgate.proxy.ingest.zipkin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A list of Zipkin v2 spans, read just far enough to know each span's {@code
 * localEndpoint.serviceName} and where its bytes are, so permitted spans can be forwarded byte for
 * byte. Service names are lower-cased, as Zipkin stores them.
 */
abstract class ZipkinBatch {
  private final byte[] buf;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private String[] services = new String[16];
  private int size;

  ZipkinBatch(byte[] buf) {
    this.buf = buf;
  }

  /**
   * Reads a batch; costs one pass over the span-level fields and the local endpoints (tags and
   * annotations are skipped) and no copy of the payload.
   *
   * @throws MalformedSpans when the batch is broken or could be read two ways
   */
  static ZipkinBatch read(SpanFormat format, byte[] buf, int len) {
    return format == SpanFormat.JSON ? ZipkinJsonBatch.read(buf, len) : ZipkinProtoBatch.read(buf, len);
  }

  int size() {
    return size;
  }

  /** The lower-cased service of span {@code i}, or null when it names none. */
  String serviceName(int i) {
    return services[i];
  }

  /** A batch in the same format holding only the spans with {@code keep[i]} set, in order. */
  abstract byte[] rewrite(boolean[] keep);

  /** Records span {@code [start, end)} of the buffer and its service (as sent, or null). */
  void add(int start, int end, String service) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
      services = Arrays.copyOf(services, size * 2);
    }
    starts[size] = start;
    ends[size] = end;
    services[size] = service == null || service.isEmpty() ? null : service.toLowerCase(Locale.ROOT);
    size++;
  }

  /** Copies the kept spans into {@code out} from {@code at}, {@code separator} between them (or -1). */
  int copyKept(boolean[] keep, byte[] out, int at, int separator) {
    boolean first = true;
    for (int i = 0; i < size; i++) {
      if (keep[i]) {
        if (!first && separator >= 0) {
          out[at++] = (byte) separator;
        }
        System.arraycopy(buf, starts[i], out, at, ends[i] - starts[i]);
        at += ends[i] - starts[i];
        first = false;
      }
    }
    return at;
  }

  /** The bytes the kept spans take. */
  int keptBytes(boolean[] keep) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      n += keep[i] ? ends[i] - starts[i] : 0;
    }
    return n;
  }

  /**
   * Checks {@code [start, end)} is UTF-8 as RFC 3629 defines it. Zipkin decodes with replacement,
   * so an invalid byte would reach storage as a different name than the one checked.
   */
  static void requireUtf8(byte[] buf, int start, int end, String what) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(buf, start, end - start);
    CharBuffer chunk = CharBuffer.allocate(Math.min(8192, Math.max(16, end - start)));
    try {
      while (true) {
        var result = decoder.decode(in, chunk, true);
        if (result.isError()) {
          result.throwException();
        }
        if (result.isUnderflow()) {
          return;
        }
        chunk.clear();
      }
    } catch (CharacterCodingException e) {
      throw new MalformedSpans(what + " is not valid UTF-8");
    }
  }
}
