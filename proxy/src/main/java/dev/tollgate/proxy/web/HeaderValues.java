package dev.tollgate.proxy.web;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The header values the HTTP/1.1 decoders accept: Netty's rule (RFC 9110 5.5 field-content: no
 * control character but HTAB, no DEL, not starting with SP or HTAB), checked faster for the long
 * values a telemetry sender always has. Netty checks a decoded value one {@code charAt} at a time:
 * 1.8% of the event loop's samples in a profile of the small batch, nearly all of it the {@code
 * Authorization} token; decoding that request takes 70–90 ns less with this check
 * (bench/results/20261123T005800Z-header-values/). Here a value of {@value #FAST_FROM}
 * characters or more is copied into a per-thread array and checked eight bytes at a time; a value
 * that this finds clean is one Netty's rule accepts, and anything else (a tab, a control character,
 * a character above U+00FF, a very long value) is judged by Netty's own check, so the two never
 * disagree (HeaderValuesTest). The copy is cleared after the check: the value is most often a
 * token, which a thread's scratch array must not keep.
 */
public final class HeaderValues {
  /** Shorter values go straight to Netty's check: there is little to gain in copying them. */
  static final int FAST_FROM = 32;
  /** Longer values than the decoders' header block limit go straight to Netty's check too. */
  static final int SCRATCH = 16 * 1024;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long SPACES = 0x2020202020202020L;
  private static final long DELS = 0x7F7F7F7F7F7F7F7FL;
  private static final FastThreadLocal<byte[]> SCRATCH_BYTES = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[SCRATCH];
    }
  };
  private static final DefaultHeaders.ValueValidator<CharSequence> NETTY =
      DefaultHttpHeadersFactory.headersFactory().getValueValidator();

  /** The value check the decoders use: Netty's rule, with the fast path above. */
  static final DefaultHeaders.ValueValidator<CharSequence> VALIDATOR = HeaderValues::validate;

  /** Netty's default headers (names validated too), with {@link #VALIDATOR} for the values. */
  public static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValueValidator(VALIDATOR);

  private HeaderValues() {}

  private static void validate(CharSequence value) {
    if (value instanceof String s && s.length() >= FAST_FROM && clean(s)) {
      return;
    }
    NETTY.validate(value); // throws IllegalArgumentException for a value it refuses
  }

  /**
   * Whether every character of {@code s} is one field-content allows anywhere but HTAB (0x21–0x7E,
   * 0x80–0xFF, and SP after the first): then Netty accepts it. False says only "ask Netty".
   */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the one copy that keeps Latin-1 bytes
  static boolean clean(String s) {
    int n = s.length();
    if (n == 0 || n > SCRATCH || s.charAt(0) <= 0x20) {
      return false;
    }
    byte[] b = SCRATCH_BYTES.get();
    // Latin-1's low bytes: a character above U+00FF becomes some byte, which can only turn a value
    // Netty accepts into one found unclean here, never the other way (Netty accepts them all).
    s.getBytes(0, n, b, 0);
    try {
      return cleanBytes(b, 0, n);
    } finally {
      Arrays.fill(b, 0, n, (byte) 0);
    }
  }

  /** This thread's scratch array, for tests: it holds nothing between checks. */
  static byte[] scratch() {
    return SCRATCH_BYTES.get();
  }

  /**
   * Whether {@code b[from, to)} is field-content without its leading and trailing whitespace (RFC
   * 9110 5.5): no control character but HTAB, and no DEL. Checked eight bytes at a time while none
   * is a tab.
   */
  static boolean fieldContent(byte[] b, int from, int to) {
    if (cleanBytes(b, from, to)) {
      return true;
    }
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xFF;
      if (c < 0x20 && c != '\t' || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** The eight-bytes-at-a-time test: no byte below 0x20, none equal to 0x7F. */
  private static boolean cleanBytes(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i);
      // a byte below 0x20 (bytes of 0x80 and above are left out by ~x), or a byte equal to 0x7F;
      // exact as a yes or no, which is all that is asked
      long control = (x - SPACES) & ~x & HIGHS;
      long y = x ^ DELS;
      long del = (y - ONES) & ~y & HIGHS;
      if ((control | del) != 0) {
        return false;
      }
    }
    for (; i < to; i++) {
      int c = b[i] & 0xFF;
      if (c < 0x20 || c == 0x7F) {
        return false;
      }
    }
    return true;
  }
}
