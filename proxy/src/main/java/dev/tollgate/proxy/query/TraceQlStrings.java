package dev.tollgate.proxy.query;

/**
 * TraceQL string literals: double-quoted with Go escapes, or back-quoted and raw. Only the escapes
 * every reader decodes alike are accepted, so the service name Tollgate checks is the one Tempo
 * compares.
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
      if (c == '\\' && quote == '"') {
        i = escape(q, i + 1, out);
      } else {
        out.append(c);
        i++;
      }
    }
    throw new TraceQlScope.TraceQlTokens.Unreadable("it has an unterminated string");
  }

  private static int escape(String q, int i, StringBuilder out) {
    if (i >= q.length()) {
      throw new TraceQlScope.TraceQlTokens.Unreadable("it has an unterminated string");
    }
    char c = q.charAt(i);
    switch (c) {
      case '"', '\\', '/' -> out.append(c);
      case 'n' -> out.append('\n');
      case 't' -> out.append('\t');
      case 'r' -> out.append('\r');
      case 'u' -> {
        if (i + 5 > q.length()) {
          throw new TraceQlScope.TraceQlTokens.Unreadable("it has a short \\u escape");
        }
        try {
          char decoded = (char) Integer.parseInt(q.substring(i + 1, i + 5), 16);
          if (Character.isSurrogate(decoded)) {
            throw new TraceQlScope.TraceQlTokens.Unreadable("it escapes half a character");
          }
          out.append(decoded);
        } catch (NumberFormatException e) {
          throw new TraceQlScope.TraceQlTokens.Unreadable("it has a malformed \\u escape");
        }
        return i + 5;
      }
      default -> throw new TraceQlScope.TraceQlTokens.Unreadable("it has an escape this reader does not know");
    }
    return i + 1;
  }
}
