package dev.tollgate.proxy.web;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The field values {@link Http1Decoder} accepts: RFC 9110 5.5 field-content, as Netty's own check
 * has it (no control character but HTAB, no DEL), checked on the head's bytes eight at a time. A
 * telemetry sender's head is mostly its {@code Authorization} token, several hundred bytes, which
 * Netty's check walked one {@code charAt} at a time (1.8% of the event loop's samples in a profile of
 * the small batch; bench/results/20261123T005800Z-header-values/).
 */
public final class HeaderValues {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long SPACES = 0x2020202020202020L;
  private static final long DELS = 0x7F7F7F7F7F7F7F7FL;

  private HeaderValues() {}

  /**
   * Whether {@code b[from, to)} is field-content without its leading and trailing whitespace (RFC
   * 9110 5.5): no control character but HTAB, and no DEL. Checked eight bytes at a time while none
   * is a tab.
   */
  public static boolean fieldContent(byte[] b, int from, int to) {
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
