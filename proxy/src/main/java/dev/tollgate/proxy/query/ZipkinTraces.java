package dev.tollgate.proxy.query;

import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.proxy.ingest.JsonCursor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Filters Zipkin v2 traces (lists of spans) to what the caller may read, in one pass over the
 * backend's bytes. A permitted span is copied byte for byte; a forbidden one is left out, or
 * replaced by its ids and timing when the project redacts. Only the names that decide are decoded.
 *
 * <p>A span belongs to its {@code localEndpoint.serviceName}. A span without one is never
 * permitted, and neither is one that two readers could read differently: one that names it twice
 * (a repeated {@code localEndpoint} or {@code serviceName} member), spells a deciding name or the
 * service in a way readers decode differently (invalid UTF-8, a lone surrogate escape), or holds
 * invalid UTF-8 anywhere in the bytes that would be copied. Such a span is left out or redacted like
 * a forbidden one, so one bad span does not cost the caller the rest. An answer that is not one
 * JSON value in UTF-8 is unreadable ({@link dev.tollgate.proxy.ingest.MalformedPayloadException}).
 */
final class ZipkinTraces {
  /** What a redacted span keeps: ids, the parent link and timing; scalar values only. */
  private static final String[] KEPT = {"traceId", "parentId", "id", "timestamp", "duration", "shared"};
  private static final byte[][] KEPT_KEYS = keys(KEPT);
  private static final int TRACE_ID = 0;

  private ZipkinTraces() {}

  /** A list of traces ({@code /traces}, {@code /traceMany}), without those left with no span. */
  static Buffer traces(byte[] in, TraceScope scope, QueryTally tally) {
    ByteBuf out = Unpooled.buffer(in.length + 2);
    Span span = new Span();
    try (JsonCursor c = new JsonCursor(in, 0, 0, in.length)) {
      out.writeByte('[');
      if (first(c) == JsonToken.START_ARRAY) {
        for (JsonToken t = c.next(); t != JsonToken.END_ARRAY; t = c.next()) {
          if (t == JsonToken.START_ARRAY) {
            trace(c, in, out, span, scope, tally);
          } else {
            c.skipValue();
          }
        }
      } else {
        c.skipValue();
      }
      out.writeByte(']');
      end(c);
    }
    return BufferInternal.buffer(out);
  }

  /** One trace ({@code /trace/{id}}), or null when none of its spans may be read. */
  static Buffer trace(byte[] in, TraceScope scope, QueryTally tally) {
    ByteBuf out = Unpooled.buffer(in.length);
    boolean kept = false;
    try (JsonCursor c = new JsonCursor(in, 0, 0, in.length)) {
      if (first(c) == JsonToken.START_ARRAY) {
        kept = trace(c, in, out, new Span(), scope, tally);
      } else {
        c.skipValue();
      }
      end(c);
    }
    return kept ? BufferInternal.buffer(out) : null;
  }

  /**
   * Writes the trace whose opening bracket {@code c} is on, as an element of {@code out}; takes it
   * back and returns false when none of its spans may be read.
   */
  private static boolean trace(JsonCursor c, byte[] in, ByteBuf out, Span span, TraceScope scope,
      QueryTally tally) {
    int mark = out.writerIndex();
    element(out);
    out.writeByte('[');
    int spans = 0;
    int permitted = 0;
    int redacted = 0;
    String traceId = null;
    for (JsonToken t = c.next(); t != JsonToken.END_ARRAY; t = c.next()) {
      spans++;
      if (t != JsonToken.START_OBJECT) {
        c.skipValue();
      } else if (span.read(c, scope.redact(), traceId == null) && scope.permits(span.service)
          && c.validUtf8(span.start, span.end)) {
        permitted++;
        element(out);
        out.writeBytes(in, span.start, span.end - span.start);
        traceId = traceId == null ? span.traceId : traceId;
      } else if (scope.redact()) {
        redacted++;
        element(out);
        span.writeRedacted(in, out);
      }
    }
    if (permitted == 0) {
      out.writerIndex(mark);
      tally.traceRemoved(spans);
      return false;
    }
    out.writeByte(']');
    tally.traceReturned(traceId, permitted + redacted, spans - permitted - redacted, redacted);
    return true;
  }

  /** Starts an array element in {@code out}: a comma unless it is the array's first. */
  private static void element(ByteBuf out) {
    int n = out.writerIndex();
    if (n > 0 && out.getByte(n - 1) != '[') {
      out.writeByte(',');
    }
  }

  /** The answer's first token; an empty answer is not JSON. */
  private static JsonToken first(JsonCursor c) {
    JsonToken t = c.next();
    if (t == null) {
      throw c.fail("no JSON value", 0);
    }
    return t;
  }

  /** Nothing may follow the answer's one value. */
  private static void end(JsonCursor c) {
    if (c.next() != null) {
      throw c.fail("more than one JSON value", c.tokenStart());
    }
  }

  private static byte[][] keys(String[] names) {
    byte[][] keys = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      keys[i] = ('"' + names[i] + "\":").getBytes(StandardCharsets.UTF_8);
    }
    return keys;
  }

  /** One span as read: where it is, its service, and where the values a redaction keeps are. */
  private static final class Span {
    final int[] keptStart = new int[KEPT.length];
    final int[] keptEnd = new int[KEPT.length];
    int start;
    int end;
    String service;
    String traceId;

    /**
     * Reads the span whose opening brace {@code c} is on, through its closing brace; returns
     * whether it names exactly one service (in {@link #service}, null when that is not a string).
     * Finds the values a redaction keeps only when {@code redact}, and decodes the trace id only
     * when {@code wantTraceId}: each costs work on every span.
     */
    boolean read(JsonCursor c, boolean redact, boolean wantTraceId) {
      start = c.tokenStart();
      service = null;
      traceId = null;
      Arrays.fill(keptStart, -1);
      int endpoints = 0;
      boolean single = true;
      int pending = -1;
      for (JsonToken t = c.next(); t == JsonToken.FIELD_NAME; t = c.next()) {
        if (pending >= 0) {
          keptEnd[pending] = c.endBefore(c.tokenStart());
          pending = -1;
        }
        String name = c.rawName();
        if (name.equals("localEndpoint")) {
          endpoints++;
          single &= c.readsOneWay(name);
          single &= endpoint(c, c.next());
        } else {
          int k = redact || wantTraceId ? kept(name) : -1;
          JsonToken v = c.next();
          if (k >= 0 && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
            if (redact) {
              keptStart[k] = c.tokenStart();
              pending = k;
            }
            if (k == TRACE_ID && wantTraceId) {
              traceId = v == JsonToken.VALUE_STRING ? c.rawText() : null;
            }
          } else {
            if (k >= 0) {
              keptStart[k] = -1; // the last one counts, as it would in a map
              traceId = k == TRACE_ID ? null : traceId;
            }
            c.skipValue();
          }
        }
      }
      if (pending >= 0) {
        keptEnd[pending] = c.endBefore(c.tokenStart());
      }
      end = c.tokenStart() + 1;
      return single && endpoints == 1;
    }

    /**
     * Reads a {@code localEndpoint} value; false when it names its service twice, or in a way that
     * two readers could read differently.
     */
    private boolean endpoint(JsonCursor c, JsonToken value) {
      if (value != JsonToken.START_OBJECT) {
        c.skipValue();
        return true;
      }
      int names = 0;
      boolean oneWay = true;
      for (JsonToken t = c.next(); t == JsonToken.FIELD_NAME; t = c.next()) {
        String name = c.rawName();
        boolean isName = name.equals("serviceName");
        if (isName) {
          oneWay &= c.readsOneWay(name);
          names++;
        }
        JsonToken v = c.next();
        if (isName && v == JsonToken.VALUE_STRING) {
          service = c.rawText();
          oneWay &= c.readsOneWay(service);
        } else {
          service = isName ? null : service;
          c.skipValue();
        }
      }
      return names <= 1 && oneWay;
    }

    /** The span's ids and timing, as a new object. */
    void writeRedacted(byte[] in, ByteBuf out) {
      out.writeByte('{');
      boolean first = true;
      for (int k = 0; k < KEPT.length; k++) {
        if (keptStart[k] >= 0) {
          if (!first) {
            out.writeByte(',');
          }
          first = false;
          out.writeBytes(KEPT_KEYS[k]);
          out.writeBytes(in, keptStart[k], keptEnd[k] - keptStart[k]);
        }
      }
      out.writeByte('}');
    }

    private static int kept(String name) {
      for (int k = 0; k < KEPT.length; k++) {
        if (KEPT[k].equals(name)) {
          return k;
        }
      }
      return -1;
    }
  }
}
