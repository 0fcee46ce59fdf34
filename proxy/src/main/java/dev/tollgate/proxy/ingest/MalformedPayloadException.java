package dev.tollgate.proxy.ingest;

/**
 * An OTLP request body Tollgate refuses to act on, because it is broken or because two readers
 * could understand it differently. The message is a single line fit for a 400 answer; it quotes at
 * most a short, sanitised excerpt of the payload.
 */
public final class MalformedPayloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_QUOTE = 40;

  /** Creates the exception with a one-line reason; no stack trace is captured. */
  public MalformedPayloadException(String reason) {
    // Senders can make us throw this on every request; a stack trace would cost more than the
    // reason is worth, and the reason already says where the payload went wrong.
    super(reason, null, false, false);
  }

  /**
   * Quotes a sender-chosen name for an error message: at most 40 characters, printable ASCII only,
   * so a reason never carries control characters or large chunks of the payload.
   */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_QUOTE) + 5).append('"');
    for (int i = 0; i < text.length() && i < MAX_QUOTE; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
    }
    return sb.append(text.length() > MAX_QUOTE ? "...\"" : "\"").toString();
  }
}
