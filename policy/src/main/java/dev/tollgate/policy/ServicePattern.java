package dev.tollgate.policy;

/**
 * One service-name glob: {@code *} matches any run of characters, {@code ?} exactly one, everything
 * else (dots, {@code +}, brackets) is literal and case-sensitive. Patterns are classified once so
 * the common shapes ({@code name}, {@code prefix*}, {@code *suffix}) cost a single String call.
 */
final class ServicePattern {
  enum Kind {
    ANY,
    EXACT,
    PREFIX,
    SUFFIX,
    GLOB
  }

  private final String text;
  private final Kind kind;
  /** The fixed part for EXACT, PREFIX and SUFFIX; the whole pattern for GLOB. */
  private final String literal;

  private ServicePattern(String text, Kind kind, String literal) {
    this.text = text;
    this.kind = kind;
    this.literal = literal;
  }

  static ServicePattern compile(String text) {
    if (!text.isEmpty() && text.chars().allMatch(c -> c == '*')) {
      return new ServicePattern(text, Kind.ANY, "");
    }
    int stars = count(text, '*');
    if (text.indexOf('?') >= 0 || stars > 1) {
      return new ServicePattern(text, Kind.GLOB, text);
    }
    if (stars == 0) {
      return new ServicePattern(text, Kind.EXACT, text);
    }
    if (text.endsWith("*")) {
      return new ServicePattern(text, Kind.PREFIX, text.substring(0, text.length() - 1));
    }
    if (text.startsWith("*")) {
      return new ServicePattern(text, Kind.SUFFIX, text.substring(1));
    }
    return new ServicePattern(text, Kind.GLOB, text);
  }

  String text() {
    return text;
  }

  Kind kind() {
    return kind;
  }

  String literal() {
    return literal;
  }

  boolean matches(String service) {
    switch (kind) {
      case ANY:
        return true;
      case EXACT:
        return literal.equals(service);
      case PREFIX:
        return service.startsWith(literal);
      case SUFFIX:
        return service.endsWith(literal);
      default:
        return glob(literal, service);
    }
  }

  /**
   * Iterative wildcard match with one backtrack point: linear for typical patterns, O(n*m) at
   * worst, and unlike a regex it allocates nothing and has no metacharacters to escape.
   */
  static boolean glob(String pattern, String s) {
    int p = 0;
    int i = 0;
    int star = -1;
    int mark = 0;
    while (i < s.length()) {
      char pc = p < pattern.length() ? pattern.charAt(p) : 0;
      if (p < pattern.length() && pc == '*') {
        star = p++;
        mark = i;
      } else if (p < pattern.length() && pc == '?') {
        p++;
        i += Character.charCount(s.codePointAt(i));
      } else if (p < pattern.length() && pc == s.charAt(i)) {
        p++;
        i++;
      } else if (star >= 0) {
        p = star + 1;
        i = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
