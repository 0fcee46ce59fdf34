package dev.tollgate.proxy.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link AuditEvent}s as JSON lines; absent values are left out, never written as null.
 *
 * <p>Written by hand into one reused byte array, with every member name encoded once: Jackson's
 * generator took ~1.1-1.4 µs per event (encoding each name again, checking its context per token),
 * the largest part of the audit writer's own work, which runs on the event loops' cores. The
 * lines are compact JSON in UTF-8 with the escapes of RFC 8259 (§7): a quote, a backslash and the
 * control characters are escaped, everything else is written as it is, characters beyond the
 * Basic Multilingual Plane too. A lone surrogate has no UTF-8 form: it is written as U+FFFD
 * (Jackson wrote it as a six-character escape, which strict parsers refuse). Not thread-safe:
 * only the audit writer uses it.
 *
 * <p>Lines are gathered until {@link #flush()}. A flush the channel fails part-way keeps exactly
 * the bytes it did not take, so the next flush continues the same line and writes none twice; the
 * writer counts the lines that reached the channel whole ({@link #written()}).
 */
final class AuditJson {
  /** Bytes gathered before the audit writer hands them over: one write per this much, or per batch. */
  static final int CHUNK = 64 * 1024;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /**
   * Per ASCII character: 0 to write it as it is, the letter of its short escape, or 'u' for the
   * six-byte escape (a backslash, u, four hex digits).
   */
  private static final byte[] ESCAPE = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPE[c] = 'u';
    }
    ESCAPE['"'] = '"';
    ESCAPE['\\'] = '\\';
    ESCAPE['\b'] = 'b';
    ESCAPE['\f'] = 'f';
    ESCAPE['\n'] = 'n';
    ESCAPE['\r'] = 'r';
    ESCAPE['\t'] = 't';
  }

  private static final byte[] TIME = name("time");
  private static final byte[] REQUEST_ID = name("request_id");
  private static final byte[] TRACE_ID = name("trace_id");
  private static final byte[] CALLER = name("caller");
  private static final byte[] SUBJECT = name("subject");
  private static final byte[] CLIENT_ID = name("client_id");
  private static final byte[] ISSUER = name("issuer");
  private static final byte[] GROUPS = name("groups");
  private static final byte[] SOURCE = name("source");
  private static final byte[] METHOD = name("method");
  private static final byte[] PATH = name("path");
  private static final byte[] ACTION = name("action");
  private static final byte[] PROJECT = name("project");
  private static final byte[] SIGNAL = name("signal");
  private static final byte[] ACCEPTED = name("accepted");
  private static final byte[] REJECTED = name("rejected");
  private static final byte[] REJECTED_ITEMS = name("rejected_items");
  private static final byte[] DECISION = name("decision");
  private static final byte[] RULE = name("rule");
  private static final byte[] REASON = name("reason");
  private static final byte[] POLICY_VERSION = name("policy_version");
  private static final byte[] STATUS = name("status");
  private static final byte[] UPSTREAM_STATUS = name("upstream_status");
  private static final byte[] CREDENTIAL = name("credential");
  private static final byte[] CREDENTIAL_KEY_ID = name("credential_key_id");
  private static final byte[] QUERY = name("query");
  private static final byte[] LATENCY_MS = name("latency_ms");

  /** The largest latency written, in ms (31 years): beyond it a value is no measurement. */
  private static final double MAX_MILLIS = 1e12;

  private final WritableByteChannel out;
  private final AuditTime time = new AuditTime();
  private byte[] buf = new byte[CHUNK + 4096];
  private int len;
  /** Where each gathered line ends in {@code buf}, in order: {@code ends[0..lines)}. */
  private int[] ends = new int[256];
  private int lines;
  /** Lines the channel has taken whole. */
  private long written;
  /** Bytes the channel has taken. */
  private long handed;
  /** Whether the next member or element of the open object or array needs a comma before it. */
  private boolean comma;
  /*
   * The members whose values are shared objects (the cached caller's, the policy's decision, the
   * upstream credential's kind), so that a steady sender's next line copies their encoding instead
   * of escaping the same ~230 characters again: see Memo.
   */
  private final Memo subject = new Memo();
  private final Memo clientId = new Memo();
  private final Memo issuer = new Memo();
  private final Memo rule = new Memo();
  private final Memo reason = new Memo();
  private final Memo policyVersion = new Memo();
  private final Memo credential = new Memo();

  AuditJson(WritableByteChannel out) {
    this.out = out;
  }

  /** A member name as written: {@code "name":}. Names are ASCII without escapes. */
  static byte[] name(String name) {
    byte[] b = new byte[name.length() + 3];
    b[0] = '"';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 0x80 || ESCAPE[c] != 0) {
        throw new IllegalArgumentException("not a plain member name: " + name);
      }
      b[i + 1] = (byte) c;
    }
    b[b.length - 2] = '"';
    b[b.length - 1] = ':';
    return b;
  }

  /**
   * Hands every gathered byte to the channel, at most a chunk per call: a file channel copies a
   * heap buffer through a direct one of the same size and keeps it for the thread, so a backlog
   * written in one call would stay in off-heap memory. When the channel fails part-way, the bytes
   * it took are dropped from the buffer and the rest stay, in order, for the next flush. A channel
   * that takes nothing (a non-blocking descriptor that would block) fails the flush rather than
   * spin.
   */
  void flush() throws IOException {
    int at = 0;
    try {
      while (at < len) {
        int n = out.write(ByteBuffer.wrap(buf, at, Math.min(CHUNK, len - at)));
        if (n <= 0) {
          throw new IOException("the audit destination took no bytes (would block)");
        }
        at += n;
      }
    } finally {
      if (at > 0) {
        taken(at);
      }
    }
  }

  /** Drops the first {@code n} bytes, handed over, and counts the lines they completed. */
  private void taken(int n) {
    int whole = 0;
    while (whole < lines && ends[whole] <= n) {
      whole++;
    }
    written += whole;
    handed += n;
    lines -= whole;
    for (int i = 0; i < lines; i++) {
      ends[i] = ends[i + whole] - n;
    }
    len -= n;
    System.arraycopy(buf, n, buf, 0, len);
    if (len == 0 && buf.length > CHUNK + 4096) {
      buf = new byte[CHUNK + 4096]; // one huge line does not keep its array
    }
  }

  /**
   * Adds {@code e}'s line to the buffer; nothing is handed over until {@link #flush()}. A failure
   * leaves nothing of it behind: the lines before it stay whole.
   */
  void write(AuditEvent e) {
    int start = len;
    try {
      line(e);
    } catch (RuntimeException | Error failure) {
      len = start;
      comma = false;
      throw failure;
    }
    if (lines == ends.length) {
      ends = Arrays.copyOf(ends, lines * 2);
    }
    ends[lines++] = len;
  }

  /** Bytes gathered and not yet handed over. */
  int buffered() {
    return len;
  }

  /** Lines gathered that the channel has not taken whole (one of them may be partly handed over). */
  int pending() {
    return lines;
  }

  /** Lines the channel has taken whole, since this writer was made. */
  long written() {
    return written;
  }

  /** Bytes the channel has taken, since this writer was made. */
  long handed() {
    return handed;
  }

  private void line(AuditEvent e) {
    beginObject();
    string(TIME, time.format(e.time()));
    string(REQUEST_ID, e.requestId());
    string(TRACE_ID, e.traceId());
    beginObject(CALLER);
    string(SUBJECT, e.subject(), subject);
    string(CLIENT_ID, e.clientId(), clientId);
    string(ISSUER, e.issuer(), issuer);
    strings(GROUPS, e.groups());
    endObject();
    string(SOURCE, e.source());
    string(METHOD, e.method());
    string(PATH, e.path());
    string(ACTION, e.action());
    string(PROJECT, e.project());
    string(SIGNAL, e.signal());
    counts(ACCEPTED, e.accepted());
    counts(REJECTED, e.rejected());
    if (e.rejectedItems() > 0) {
      number(REJECTED_ITEMS, e.rejectedItems());
    }
    string(DECISION, e.decision());
    string(RULE, e.rule(), rule);
    string(REASON, e.reason(), reason);
    string(POLICY_VERSION, e.policyVersion(), policyVersion);
    number(STATUS, e.status());
    if (e.upstreamStatus() > 0) {
      number(UPSTREAM_STATUS, e.upstreamStatus());
    }
    string(CREDENTIAL, e.credential(), credential);
    string(CREDENTIAL_KEY_ID, e.credentialKeyId());
    if (e.query() != null) {
      beginObject(QUERY);
      e.query().writeFields(this);
      endObject();
    }
    millis(LATENCY_MS, e.latencyMs());
    endObject();
    put('\n');
    comma = false;
  }

  /** A string member; nothing when {@code value} is null. */
  void string(byte[] name, String value) {
    if (value != null) {
      member(name);
      string(value);
    }
  }

  /**
   * A string member whose value is often the very object of the line before: then its encoding is
   * copied from {@code memo} rather than escaped again. Nothing when {@code value} is null.
   */
  private void string(byte[] name, String value, Memo memo) {
    if (value == null) {
      return;
    }
    member(name);
    if (value == memo.value) {
      put(memo.encoded, memo.length);
      return;
    }
    int start = len;
    string(value);
    memo.remember(value, buf, start, len - start);
  }

  /**
   * The last value written for one member and its encoding, quotes included. Only the same String
   * object is taken for it ({@code ==}): a String never changes, so that object's encoding is the
   * same bytes every time, whatever any other string holds. A value whose encoding is longer than
   * {@link #MAX} is not kept, so that a huge claim does not stay in memory.
   */
  private static final class Memo {
    static final int MAX = 512;
    private String value;
    private byte[] encoded = new byte[64];
    private int length;

    void remember(String v, byte[] from, int start, int n) {
      if (n > MAX) {
        value = null;
        return;
      }
      if (n > encoded.length) {
        encoded = new byte[MAX];
      }
      System.arraycopy(from, start, encoded, 0, n);
      length = n;
      value = v;
    }
  }

  /** An array of strings; nothing when it is null or empty. */
  void strings(byte[] name, List<String> values) {
    if (values != null && !values.isEmpty()) {
      array(name, values);
    }
  }

  /** An array of strings, even an empty one. */
  void array(byte[] name, List<String> values) {
    member(name);
    put('[');
    comma = false;
    for (String v : values) {
      separate();
      string(v);
    }
    put(']');
    comma = true;
  }

  /** An object of strings, by their keys; nothing when it is empty. */
  void strings(byte[] name, Map<String, String> values) {
    if (values.isEmpty()) {
      return;
    }
    beginObject(name);
    for (Map.Entry<String, String> e : values.entrySet()) {
      key(e.getKey());
      string(e.getValue());
    }
    endObject();
  }

  private void counts(byte[] name, Map<String, Integer> values) {
    if (values == null || values.isEmpty()) {
      return;
    }
    beginObject(name);
    for (Map.Entry<String, Integer> e : values.entrySet()) {
      key(e.getKey());
      digits(e.getValue());
    }
    endObject();
  }

  void number(byte[] name, long value) {
    member(name);
    digits(value);
  }

  /**
   * Milliseconds to the microsecond, in the shortest plain decimal that reads back as the same
   * number ({@code 1.379}, {@code 12.5}, {@code 3.0}).
   */
  private void millis(byte[] name, double ms) {
    member(name);
    // NaN rounds to 0; an infinite or absurd value is bounded, so that the number stays a number
    long micros = Math.round(Math.max(-MAX_MILLIS, Math.min(MAX_MILLIS, ms)) * 1000);
    if (micros < 0) {
      put('-');
      micros = -micros;
    }
    digits(micros / 1000);
    int frac = (int) (micros % 1000);
    room(4);
    buf[len++] = '.';
    buf[len++] = (byte) ('0' + frac / 100);
    if (frac % 100 != 0) {
      buf[len++] = (byte) ('0' + frac / 10 % 10);
      if (frac % 10 != 0) {
        buf[len++] = (byte) ('0' + frac % 10);
      }
    }
  }

  void beginObject(byte[] name) {
    member(name);
    beginObject();
  }

  private void beginObject() {
    put('{');
    comma = false;
  }

  void endObject() {
    put('}');
    comma = true;
  }

  private void member(byte[] name) {
    separate();
    put(name);
  }

  /** A member whose name is data (a service, a tag): escaped like any string. */
  private void key(String key) {
    separate();
    string(key);
    put(':');
  }

  private void separate() {
    if (comma) {
      put(',');
    }
    comma = true;
  }

  /** One ASCII character. */
  private void put(char c) {
    room(1);
    buf[len++] = (byte) c;
  }

  /** Bytes already encoded. */
  private void put(byte[] bytes) {
    put(bytes, bytes.length);
  }

  /** The first {@code n} of bytes already encoded. */
  private void put(byte[] bytes, int n) {
    room(n);
    System.arraycopy(bytes, 0, buf, len, n);
    len += n;
  }

  private void digits(long v) {
    if (v == Long.MIN_VALUE) {
      put(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
      return;
    }
    room(20);
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    int end = len + stringSize(v);
    int at = end;
    do {
      buf[--at] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
    len = end;
  }

  private static int stringSize(long v) {
    long p = 10;
    for (int i = 1; i < 19; i++) {
      if (v < p) {
        return i;
      }
      p *= 10;
    }
    return 19;
  }

  /** A quoted, escaped UTF-8 string. The common case, ASCII needing no escape, is one plain loop. */
  private void string(String s) {
    int n = s.length();
    // at most 6 bytes per char (a six-byte escape), plus the quotes
    room((int) Math.min(Integer.MAX_VALUE - 64, n * 6L + 2));
    byte[] b = buf;
    int at = len;
    b[at++] = '"';
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || ESCAPE[c] != 0) {
        break;
      }
      b[at++] = (byte) c;
    }
    len = at;
    if (i < n) {
      rest(s, i);
    }
    buf[len++] = '"';
  }

  /** The rest of {@code s} from {@code i}, where the first escape or non-ASCII character is. */
  private void rest(String s, int i) {
    byte[] b = buf;
    int at = len;
    int n = s.length();
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        byte esc = ESCAPE[c];
        if (esc == 0) {
          b[at++] = (byte) c;
        } else if (esc != 'u') {
          b[at++] = '\\';
          b[at++] = esc;
        } else {
          b[at++] = '\\';
          b[at++] = 'u';
          b[at++] = '0';
          b[at++] = '0';
          b[at++] = HEX[c >> 4];
          b[at++] = HEX[c & 0xF];
        }
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | c >> 6);
        b[at++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[at++] = (byte) (0xF0 | cp >> 18);
        b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
        b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
        b[at++] = (byte) (0x80 | cp & 0x3F);
      } else {
        char bmp = Character.isSurrogate(c) ? '\uFFFD' : c;
        b[at++] = (byte) (0xE0 | bmp >> 12);
        b[at++] = (byte) (0x80 | bmp >> 6 & 0x3F);
        b[at++] = (byte) (0x80 | bmp & 0x3F);
      }
    }
    len = at;
  }

  /** The array's size now, for tests: one huge line must not keep a huge array. */
  int capacity() {
    return buf.length;
  }

  /** Makes room for {@code n} more bytes; a line longer than a chunk grows the array. */
  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

}
