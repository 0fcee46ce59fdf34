package dev.tollgate.proxy.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries keep their connection, pipelined or not: a dashboard sends many, and a new connection
 * for each would cost more than the query. A request that may carry a body Tollgate did not read
 * (a Content-Length above zero, any Transfer-Encoding) closes its connection.
 */
class QueryConnectionTest {
  @TempDir static Path dir;
  static QueryFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = QueryFixture.withFakeBackend(dir, "remove");
    f.backend.answerWith("/api/v2/services", "[\"checkout\",\"payments\"]");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void answeredAndRefusedQueriesKeepTheConnectionAndAnUnreadBodyClosesIt() throws Exception {
    String token = f.user("alice");
    try (Socket s = new Socket("127.0.0.1", f.tollgate.port())) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      send(s, get(token, "") + get("not-a-jwt", ""));
      String first = answer(in);
      String refused = answer(in);
      send(s, get(token, "Content-Length: 0\r\n"));
      String third = answer(in);
      send(s, get(token, "Content-Length: 5\r\n") + "hello");
      String withBody = answer(in);

      assertThat(first).startsWith("http/1.1 200").doesNotContain("connection: close").endsWith("[\"checkout\"]");
      assertThat(refused).startsWith("http/1.1 401").doesNotContain("connection: close");
      assertThat(third).startsWith("http/1.1 200").doesNotContain("connection: close");
      assertThat(withBody).startsWith("http/1.1 200").contains("connection: close");
      assertThat(in.read()).as("the connection is closed after an unread body").isEqualTo(-1);
    }
  }

  @Test
  void aChunkedBodyClosesTheConnectionEvenWhenEmpty() throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.tollgate.port())) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      send(s, get(f.user("alice"), "Transfer-Encoding: chunked\r\n") + "0\r\n\r\n");
      assertThat(answer(in)).startsWith("http/1.1 200").contains("connection: close");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  private static String get(String token, String extra) {
    return "GET /projects/shop/api/v2/services HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
        + "\r\n" + extra + "\r\n";
  }

  private static void send(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  /** One response: its head, lower-cased, then its body as long as its content-length says. */
  private static String answer(InputStream in) throws IOException {
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
