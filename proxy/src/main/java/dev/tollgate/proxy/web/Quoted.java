package dev.tollgate.proxy.web;

import java.util.regex.Pattern;

/**
 * Caller-chosen text in an error reason: short, printable ASCII, quoted, and withheld whole when it
 * holds what looks like a token (an error reason is audited, and may be logged).
 */
public final class Quoted {
  private static final int MAX = 60;
  /**
   * The start of a JWS or JWE in compact form: its base64url JSON header ({@code eyJ} is
   * {@code {"}), then the dot after it.
   */
  private static final Pattern TOKEN = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}\\.");

  private Quoted() {}

  /** Whether {@code text} holds, anywhere, what looks like a JWT (a JWS or JWE in compact form). */
  public static boolean holdsToken(String text) {
    return text.contains("eyJ") && TOKEN.matcher(text).find();
  }

  public static String of(String text) {
    if (holdsToken(text)) {
      return "(withheld: it holds what looks like a token)";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 5).append('"');
    for (int i = 0; i < text.length() && i < MAX; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
    }
    return sb.append(text.length() > MAX ? "...\"" : "\"").toString();
  }
}
