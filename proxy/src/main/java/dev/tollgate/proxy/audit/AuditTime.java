package dev.tollgate.proxy.audit;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Audit timestamps: RFC 3339 in UTC with milliseconds, always 24 characters
 * ({@code 2026-11-21T11:20:00.123Z}), so lines sort as text. The date and time of day are formatted
 * once per second and reused; {@link Instant#toString()} per event was one of the audit writer's
 * largest costs. Not thread-safe: one per writer.
 */
final class AuditTime {
  private long second = Long.MIN_VALUE;
  private final char[] text = new char[24];

  String format(Instant t) {
    long s = t.getEpochSecond();
    if (s != second) {
      // "2026-11-21T11:20:00Z" for a whole second; keep all but the Z
      String whole = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(s));
      if (whole.length() != 20) {
        return DateTimeFormatter.ISO_INSTANT.format(t); // a year outside 0000..9999
      }
      whole.getChars(0, 19, text, 0);
      text[19] = '.';
      text[23] = 'Z';
      second = s;
    }
    int ms = t.getNano() / 1_000_000;
    text[20] = (char) ('0' + ms / 100);
    text[21] = (char) ('0' + ms / 10 % 10);
    text[22] = (char) ('0' + ms % 10);
    return new String(text);
  }
}
