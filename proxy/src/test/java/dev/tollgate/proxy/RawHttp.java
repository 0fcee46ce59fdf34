package dev.tollgate.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.x on a raw socket, for tests of what a client library would hide: pipelining, framing, closes. */
public final class RawHttp {
  private RawHttp() {}

  /** Writes {@code bytes} (ISO-8859-1) as they are. */
  public static void send(Socket s, String bytes) throws IOException {
    s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** One answer: its head, lower-cased, then its body (UTF-8) as long as its content-length says. */
  public static String answer(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int at = h.indexOf("content-length: ");
    int length = at < 0 ? 0 : Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)).trim());
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
