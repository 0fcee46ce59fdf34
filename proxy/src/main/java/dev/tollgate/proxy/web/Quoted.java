package dev.tollgate.proxy.web;

import java.util.regex.Pattern;

/**
 * Caller-chosen text in an error reason: short, printable ASCII, quoted, and withheld whole when it
 * holds what looks like a token (an error reason is audited, and may be logged).
 */
public final class Quoted {
  private static final int MAX = 60;
  /** What stands for text that holds a token. */
  public static final String WITHHELD = "(withheld: it holds what looks like a token)";
  /**
   * The start of a JWS or JWE in compact form: a base64url JSON header ({@code eyJ} is {@code {"},
   * {@code eyA} is <code>{ </code>) of ten characters or more that does not continue a longer word,
   * a dot, and the start of the next part ({@code e30}, an empty one, has three characters).
   * {@code ApiKeyJwtFilter.doFilter} is not one.
   */
  private static final Pattern TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])ey[JA][A-Za-z0-9_-]{7,}\\.[A-Za-z0-9_-]{2}");

  private Quoted() {}

  /** Whether {@code text} holds, anywhere, what looks like a JWT (a JWS or JWE in compact form). */
  public static boolean holdsToken(String text) {
    return text.contains("ey") && TOKEN.matcher(text).find();
  }

  public static String of(String text) {
    if (holdsToken(text)) {
      return WITHHELD;
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 5).append('"');
    for (int i = 0; i < text.length() && i < MAX; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
    }
    return sb.append(text.length() > MAX ? "...\"" : "\"").toString();
  }
}
