package dev.tollgate.proxy.query;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for what Tollgate sends upstream: everything but RFC 3986 unreserved characters
 * is escaped, so a {@code /}, {@code ?}, {@code &} or {@code %} in a value can never become path or
 * query structure at the backend.
 */
final class PathEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathEncoding() {}

  static StringBuilder append(StringBuilder sb, String value) {
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
    }
    return sb;
  }

  /** One path segment, encoded. */
  static String segment(String value) {
    return append(new StringBuilder(value.length() + 8), value).toString();
  }
}
