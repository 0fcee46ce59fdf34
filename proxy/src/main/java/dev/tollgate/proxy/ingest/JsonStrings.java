package dev.tollgate.proxy.ingest;

/** JSON string literals, written the way every OTLP/JSON reader decodes them alike. */
final class JsonStrings {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonStrings() {}

  static StringBuilder appendQuoted(StringBuilder sb, String text) {
    sb.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !pairedAt(text, i)) {
        // Control characters must be escaped; a lone surrogate has no UTF-8 form, so it goes
        // out as an escape rather than as the '?' that String.getBytes would substitute.
        sb.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 15])
            .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
      } else {
        sb.append(c);
      }
    }
    return sb.append('"');
  }

  /** True when the string has no lone surrogate, so every reader decodes it to the same text. */
  static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i)) && !pairedAt(text, i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean pairedAt(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }
}
