package dev.tollgate.proxy.query;

import static dev.tollgate.proxy.RawHttp.answer;
import static dev.tollgate.proxy.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
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
}
