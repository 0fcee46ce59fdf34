package dev.tollgate.auth;

import java.util.List;

/** Extracts a bearer token from {@code Authorization} headers (RFC 6750 section 2.1). */
public final class BearerToken {
  private static final String BEARER = "Bearer";

  private BearerToken() {}

  /**
   * The token from all {@code Authorization} header values of a request. More than one header is
   * refused: a proxy and an upstream could each pick a different one.
   *
   * @throws AuthenticationException {@code MISSING} when there is none, {@code INVALID_REQUEST} when
   *     there are several or the one present is malformed
   */
  public static String fromAuthorizationHeaders(List<String> headerValues) {
    if (headerValues == null || headerValues.isEmpty()) {
      return fromAuthorizationHeader(null);
    }
    if (headerValues.size() > 1) {
      throw AuthenticationException.invalidRequest("more than one Authorization header");
    }
    return fromAuthorizationHeader(headerValues.get(0));
  }

  /**
   * The token from one {@code Authorization} header value: scheme {@code Bearer} in any case, then
   * the rest of the value, trimmed. Whether that rest is exactly one token68 is {@link #check}ed by
   * the verifier, and only for a token it has not verified before: a token found in its cache is,
   * byte for byte, one that passed the check, and a steady sender's 1 KiB token is then not scanned
   * again on every request.
   *
   * @throws AuthenticationException {@code MISSING} for null or blank, {@code INVALID_REQUEST} for
   *     another scheme or an empty token
   */
  public static String fromAuthorizationHeader(String headerValue) {
    int start = 0;
    int end = headerValue == null ? 0 : headerValue.length();
    while (start < end && Character.isWhitespace(headerValue.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(headerValue.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      throw new AuthenticationException(AuthenticationException.Kind.MISSING,
          "no bearer token (send Authorization: Bearer <token>)");
    }
    int space = headerValue.indexOf(' ', start);
    int schemeEnd = space < 0 || space > end ? end : space;
    if (schemeEnd - start != BEARER.length() || !headerValue.regionMatches(true, start, BEARER, 0, BEARER.length())) {
      throw AuthenticationException.invalidRequest("expected the Bearer authorization scheme");
    }
    int tokenStart = schemeEnd;
    while (tokenStart < end && Character.isWhitespace(headerValue.charAt(tokenStart))) {
      tokenStart++;
    }
    if (tokenStart == end) {
      throw AuthenticationException.invalidRequest("empty bearer token");
    }
    // One copy, of the token alone (the header value is not stripped into a string of its own first).
    return headerValue.substring(tokenStart, end);
  }

  /**
   * Checks that {@code token} is one b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" )
   * *"=". Nothing else may reach a JOSE parser, which would skip characters it cannot decode.
   *
   * @throws AuthenticationException {@code INVALID_REQUEST} for several tokens or other characters
   */
  static void check(String token) {
    int n = token.length();
    int i = 0;
    while (i < n && isToken68Char(token.charAt(i))) {
      i++;
    }
    int body = i;
    while (i < n && token.charAt(i) == '=') {
      i++;
    }
    if (i == n && body > 0) {
      return;
    }
    for (int j = i; j < n; j++) {
      char c = token.charAt(j);
      if (c == ' ' || c == ',' || c == '\t') {
        throw AuthenticationException.invalidRequest("exactly one bearer token is allowed");
      }
    }
    throw AuthenticationException.invalidRequest("malformed bearer token");
  }

  private static final boolean[] TOKEN68 = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      TOKEN68[c] = true;
      TOKEN68[Character.toLowerCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TOKEN68[c] = true;
    }
    for (char c : "-._~+/".toCharArray()) {
      TOKEN68[c] = true;
    }
  }

  private static boolean isToken68Char(char c) {
    return c < 128 && TOKEN68[c];
  }
}
