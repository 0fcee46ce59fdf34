package dev.tollgate.proxy.query;

/**
 * TraceQL string literals: double-quoted with Go escapes, or back-quoted and raw. Only the escapes
 * Go decodes the way this reader does are accepted, and no control character (Go ends a quoted
 * string at a line break and drops carriage returns from raw ones), so the service name Tollgate
 * checks is the one Tempo compares.
 */
final class TraceQlStrings {
  private TraceQlStrings() {}

  /** Reads the literal starting at {@code start} into {@code out}; returns the index after it. */
  static int read(String q, int start, StringBuilder out) {
    char quote = q.charAt(start);
    int i = start + 1;
    while (i < q.length()) {
      char c = q.charAt(i);
      if (c == quote) {
        return i + 1;
      }
      if (c < 0x20 || c == 0x7f) {
        throw new TraceQlTokens.Unreadable("it has a control character in a string");
      }
      if (c == '\\' && quote == '"') {
        i = escape(q, i + 1, out);
      } else {
        out.append(c);
        i++;
      }
    }
    throw new TraceQlTokens.Unreadable("it has an unterminated string");
  }

  private static int escape(String q, int i, StringBuilder out) {
    if (i >= q.length()) {
      throw new TraceQlTokens.Unreadable("it has an unterminated string");
    }
    char c = q.charAt(i);
    switch (c) {
      case '"', '\\' -> out.append(c);
      case 'n' -> out.append('\n');
      case 't' -> out.append('\t');
      case 'r' -> out.append('\r');
      case 'u' -> {
        if (i + 5 > q.length()) {
          throw new TraceQlTokens.Unreadable("it has a short \\u escape");
        }
        try {
          char decoded = (char) Integer.parseInt(q.substring(i + 1, i + 5), 16);
          if (Character.isSurrogate(decoded)) {
            throw new TraceQlTokens.Unreadable("it escapes half a character");
          }
          out.append(decoded);
        } catch (NumberFormatException e) {
          throw new TraceQlTokens.Unreadable("it has a malformed \\u escape");
        }
        return i + 5;
      }
      default -> throw new TraceQlTokens.Unreadable("it has an escape this reader does not know");
    }
    return i + 1;
  }
}
