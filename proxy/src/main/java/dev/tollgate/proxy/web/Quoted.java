package dev.tollgate.proxy.web;

/** Caller-chosen text in an error reason: short, printable ASCII, quoted. */
public final class Quoted {
  private static final int MAX = 60;

  private Quoted() {}

  public static String of(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 5).append('"');
    for (int i = 0; i < text.length() && i < MAX; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
    }
    return sb.append(text.length() > MAX ? "...\"" : "\"").toString();
  }
}
