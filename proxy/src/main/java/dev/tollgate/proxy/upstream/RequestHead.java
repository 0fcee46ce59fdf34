package dev.tollgate.proxy.upstream;

import java.util.Arrays;

/**
 * The head of one HTTP/1.1 request to an upstream, written straight as bytes: request line, then
 * one line per header. Everything that goes in is checked first and refused when HTTP could read
 * it as something else (a line break in a value, a space in the target, a separator in a name), so
 * no value Tollgate forwards can split a request or add a header of its own.
 */
final class RequestHead {
  /**
   * Room for a typical head with a static token, so that it is not grown while written (a minted
   * or exchanged JWT may still grow it once).
   */
  private byte[] bytes = new byte[512];
  private int length;
  /** Set by {@link #end()}: the bytes are then being sent, and a later line would follow the blank one. */
  private boolean ended;

  /** A head starting with {@code method target HTTP/1.1}. */
  RequestHead(String method, String target) {
    if (target.isEmpty() || target.charAt(0) != '/') {
      throw new IllegalArgumentException("upstream request target must start with '/'");
    }
    for (int i = 0; i < method.length(); i++) {
      if (!isTokenChar(method.charAt(i))) {
        throw new IllegalArgumentException("upstream request method is not an HTTP token");
      }
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        // The query adapters percent-encode what they build; anything else here is a bug upstream
        // of this line, and sending it would let the backend read a different request.
        throw new IllegalArgumentException("upstream request target has a character HTTP forbids at " + i);
      }
    }
    latin1(method);
    put((byte) ' ');
    latin1(target);
    latin1(" HTTP/1.1\r\n");
  }

  /** Adds {@code name: value}; refuses a name that is not an HTTP token or a value with a control character. */
  RequestHead header(CharSequence name, CharSequence value) {
    if (ended) {
      throw new IllegalStateException("request head already ended");
    }
    int nameLength = name.length();
    int valueLength = value.length();
    if (nameLength == 0) {
      throw new IllegalArgumentException("empty upstream header name");
    }
    ensure(nameLength + valueLength + 4);
    byte[] b = bytes;
    int at = length;
    // Checked and copied in one pass; on a refusal the half-written line is never sent.
    for (int i = 0; i < nameLength; i++) {
      char c = name.charAt(i);
      if (!isTokenChar(c)) {
        throw new IllegalArgumentException("upstream header name " + safeName(name) + " is not an HTTP token");
      }
      b[at++] = (byte) c;
    }
    b[at++] = ':';
    b[at++] = ' ';
    for (int i = 0; i < valueLength; i++) {
      char c = value.charAt(i);
      // Field values may hold visible ASCII, space, tab and obs-text; never CR, LF or another control.
      if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff) {
        // The value itself may be a credential: only the header's name goes into the message.
        throw new IllegalArgumentException("upstream header " + safeName(name) + " has a character HTTP forbids");
      }
      b[at++] = (byte) c;
    }
    b[at++] = '\r';
    b[at++] = '\n';
    length = at;
    return this;
  }

  /** Closes the head with its empty line; then {@link #bytes()} up to {@link #length()} is the whole head. */
  RequestHead end() {
    if (ended) {
      throw new IllegalStateException("request head already ended");
    }
    put((byte) '\r');
    put((byte) '\n');
    ended = true;
    return this;
  }

  /** The head's bytes, valid up to {@link #length()}: not a copy, and never to be written to. */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  private void latin1(CharSequence s) {
    ensure(s.length());
    // Checked before: every char fits one byte.
    for (int i = 0; i < s.length(); i++) {
      bytes[length++] = (byte) s.charAt(i);
    }
  }

  private void put(byte b) {
    ensure(1);
    bytes[length++] = b;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  /** RFC 9110 tchar. */
  static boolean isTokenChar(char c) {
    return c < 128 && TCHAR[c];
  }

  /** A header name for a message: its token characters only, so it cannot carry a line break. */
  private static String safeName(CharSequence name) {
    StringBuilder out = new StringBuilder(name.length() + 2).append('"');
    for (int i = 0; i < name.length() && i < 64; i++) {
      char c = name.charAt(i);
      out.append(isTokenChar(c) ? c : '?');
    }
    return out.append('"').toString();
  }

  @Override
  public String toString() {
    return "RequestHead[" + length + " bytes]"; // never its text: it carries the credential
  }
}
