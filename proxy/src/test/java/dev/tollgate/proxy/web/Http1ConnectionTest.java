package dev.tollgate.proxy.web;

import static dev.tollgate.proxy.RawHttp.answer;
import static dev.tollgate.proxy.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.proxy.audit.AuditEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The listener's HTTP/1.x connection handling, on raw sockets: answers in request order, keep-alive
 * as each version defines it, and every request it cannot serve answered, audited and closed.
 */
class Http1ConnectionTest {
  @TempDir Path dir;
  RoutesServer routes;
  final List<AuditEvent> events = new CopyOnWriteArrayList<>();

  /**
   * Reads the body and answers {@code "<path> <query> <body length>"}; under {@code /slow} only
   * after 300 ms, so that a request pipelined behind it is ready to be answered first.
   */
  static final class Echo implements Endpoint {
    @Override
    public boolean matches(String path) {
      return path.startsWith("/echo") || path.startsWith("/slow");
    }

    @Override
    public void handle(Exchange x) {
      BodyReader.read(x, 1 << 20).onComplete(x.guard(ar -> {
        if (ar.failed()) {
          x.fail(BodyReader.status(ar.cause()), ar.cause().getMessage());
          return;
        }
        x.bodyRead();
        String text = x.request().path() + " " + x.request().query() + " " + ar.result().length();
        if (x.request().path().startsWith("/slow")) {
          Vertx.currentContext().owner().setTimer(300, id -> x.respond(200, "text/plain", Buffer.buffer(text)));
        } else {
          x.respond(200, "text/plain", Buffer.buffer(text));
        }
      }));
    }
  }

  /** Answers every GET under {@code /big} with 1 MiB. */
  static final class Big implements Endpoint {
    static final byte[] ANSWER = new byte[1 << 20];

    @Override
    public boolean matches(String path) {
      return path.startsWith("/big");
    }

    @Override
    public void handle(Exchange x) {
      x.respond(200, "application/octet-stream", Buffers.wrap(ANSWER));
    }
  }

  /** An endpoint whose path check has a defect: it throws before any exchange can answer. */
  static final class Exploding implements Endpoint {
    @Override
    public boolean matches(String path) {
      if (path.equals("/explode")) {
        throw new IllegalStateException("a bug in a path check");
      }
      return false;
    }

    @Override
    public void handle(Exchange x) {
      throw new AssertionError("never matches");
    }
  }

  @BeforeEach
  void start() throws Exception {
    routes = RoutesServer.start(dir, List.of(new Exploding(), new Echo(), new Big()), 16 << 20);
    routes.audit.addListener(events::add);
  }

  @AfterEach
  void stop() throws Exception {
    routes.close();
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws Exception {
    try (Socket s = connect()) {
      send(s, post("/slow/1", "a") + post("/echo/2?x=y", "bb") + post("/echo/3", ""));
      InputStream in = s.getInputStream();
      assertThat(answer(in)).startsWith("http/1.1 200").endsWith("/slow/1 null 1");
      assertThat(answer(in)).startsWith("http/1.1 200").endsWith("/echo/2 x=y 2");
      assertThat(answer(in)).startsWith("http/1.1 200").endsWith("/echo/3 null 0");
      send(s, post("/echo/4", "dddd"));
      assertThat(answer(in)).as("the connection is kept").endsWith("/echo/4 null 4");
    }
  }

  @Test
  void http10KeepsTheConnectionOnlyWhenAskedToAndWithoutABody() throws Exception {
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      send(s, "POST /echo/a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
      assertThat(answer(in)).startsWith("http/1.0 200").contains("connection: keep-alive").endsWith("/echo/a null 0");
      send(s, "POST /echo/b HTTP/1.0\r\nContent-Length: 2\r\n\r\nzz");
      assertThat(answer(in)).startsWith("http/1.0 200").doesNotContain("connection:").endsWith("/echo/b null 2");
      assertThat(in.read()).as("closed after an HTTP/1.0 answer not asked to keep it").isEqualTo(-1);
    }
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      // HTTP/1.0 readers have differed on where a 1.0 body ends: no request is read after one
      send(s, "POST /echo/c HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc");
      assertThat(answer(in)).startsWith("http/1.0 200").doesNotContain("connection:").endsWith("/echo/c null 3");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void connectionCloseEndsTheConnectionAfterTheAnswer() throws Exception {
    try (Socket s = connect()) {
      InputStream in = s.getInputStream();
      send(s, "POST /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc"
          + post("/echo/never", "x"));
      assertThat(answer(in)).startsWith("http/1.1 200").contains("connection: close").endsWith("/slow null 3");
      assertThat(in.read()).as("nothing after the request that asked to close").isEqualTo(-1);
    }
    assertThat(awaitEvent().path()).as("the request behind it was not served").isEqualTo("/slow");
  }

  /** Framings another reader of the same bytes could take differently: refused, and the connection closed. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Transfer-Encoding with Content-Length|HTTP/1.1|Transfer-Encoding: chunked;Content-Length: 3|400|malformed HTTP request",
      "a coding other than chunked|HTTP/1.1|Transfer-Encoding: gzip|400|Transfer-Encoding that does not end in chunked",
      "chunked after another coding|HTTP/1.1|Transfer-Encoding: gzip, chunked|501|Transfer-Encoding other than chunked",
      "two Transfer-Encoding lines|HTTP/1.1|Transfer-Encoding: chunked;Transfer-Encoding: chunked|501|Transfer-Encoding other than chunked",
      "a coding in HTTP/1.0|HTTP/1.0|Transfer-Encoding: chunked;Connection: keep-alive|400|not allowed in HTTP/1.0"})
  void ambiguousBodyFramingIsRefusedAuditedAndClosed(String what, String version, String headers, int status,
      String reason) throws Exception {
    try (Socket s = connect()) {
      send(s, "POST /echo " + version + "\r\nHost: x\r\n" + headers.replace(";", "\r\n") + "\r\n\r\n"
          + "3\r\nabc\r\n0\r\n\r\n" + post("/echo/never", "x"));
      InputStream in = s.getInputStream();
      assertThat(answer(in)).contains(" " + status + " ").contains("connection: close").contains(reason);
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(awaitEvent().status()).isEqualTo(status);
  }

  /**
   * A defect that leaves a request with no exchange to answer it closes the connection, so the
   * client learns at once, rather than waiting on a connection that reads nothing more.
   */
  @Test
  void aRequestNothingCouldAnswerClosesItsConnection() throws Exception {
    try (Socket s = connect()) {
      send(s, post("/explode", "x") + post("/echo/after", "y"));
      assertThat(s.getInputStream().read()).as("closed, not left hanging").isEqualTo(-1);
    }
    try (Socket s = connect()) {
      send(s, post("/echo/next", "z"));
      assertThat(answer(s.getInputStream())).as("other connections are served").endsWith("/echo/next null 1");
    }
  }

  @Test
  void absoluteFormTargetsAreServedByTheirPathAndQuery() throws Exception {
    try (Socket s = connect()) {
      send(s, "POST http://127.0.0.1:9/echo/abs?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertThat(answer(s.getInputStream())).startsWith("http/1.1 200").endsWith("/echo/abs q=1 0");
    }
  }

  @Test
  void anHttp2PrefaceIsRefused505AuditedAndClosed() throws Exception {
    try (Socket s = connect()) {
      send(s, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
      InputStream in = s.getInputStream();
      String answer = answer(in);
      assertThat(answer).startsWith("http/1.1 505").contains("connection: close").contains("x-request-id: ")
          .contains("HTTP version not supported");
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(awaitEvent().status()).isEqualTo(505);
  }

  @Test
  void brokenChunkFramingIs400AndClosesTheConnection() throws Exception {
    try (Socket s = connect()) {
      send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\nabc\r\n0\r\n\r\n");
      InputStream in = s.getInputStream();
      assertThat(answer(in)).startsWith("http/1.1 400").contains("connection: close")
          .contains("request body could not be read");
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(awaitEvent().status()).isEqualTo(400);
  }

  /**
   * A client that pipelines and does not read its answers is not served ahead of them: once the
   * socket stops taking answers, no new request is begun, so what waits in memory stays small.
   * All are answered, in order, once it reads.
   */
  @Test
  void aClientThatDoesNotReadItsAnswersIsNotServedAheadOfThem() throws Exception {
    int requests = 64;
    StringBuilder pipelined = new StringBuilder();
    for (int i = 0; i < requests; i++) {
      pipelined.append("GET /big/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    try (Socket s = connect()) {
      send(s, pipelined.toString());
      // each answered request is audited as it is answered; the kernel's socket buffers take some,
      // and then the server must stop: given 1.5 s more, it answers no more than half
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (events.isEmpty()) {
        assertThat(System.nanoTime()).as("the first answer").isLessThan(deadline);
        Thread.sleep(10);
      }
      Thread.sleep(1_500);
      assertThat(events.size()).as("answered while the client read none of 64 MiB").isBetween(1, requests / 2);
      InputStream in = s.getInputStream();
      for (int i = 0; i < requests; i++) {
        assertThat(answer(in)).as("answer %d", i).startsWith("http/1.1 200").contains("content-length: 1048576");
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.size() < requests && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(events).extracting(AuditEvent::path).hasSize(requests).startsWith("/big/0", "/big/1", "/big/2");
  }

  /**
   * The idle timeout counts requests, not bytes: a client that trickles its headers a byte at a
   * time, each well within the timeout, is still closed once the timeout has passed without a
   * whole request, and the half-read request is audited.
   */
  @Test
  void aClientTricklingItsHeadersIsClosedByTheIdleTimeout() throws Exception {
    routes.close();
    routes = RoutesServer.start(dir, List.of(new Echo()), 16 << 20, new NetServerOptions().setIdleTimeout(1));
    routes.audit.addListener(events::add);
    byte[] head = "Host: x\r\nX-Padding: abcdefghijklmnopqrstuvwxyz\r\n".getBytes(StandardCharsets.US_ASCII);
    long started = System.nanoTime();
    boolean closed = false;
    try (Socket s = connect()) {
      send(s, "POST /echo HTTP/1.1\r\n");
      for (int i = 0; i < head.length && !closed; i++) {
        try {
          s.getOutputStream().write(head[i]);
          s.getOutputStream().flush();
        } catch (IOException reset) {
          closed = true;
        }
        Thread.sleep(200);
        if (s.getInputStream().available() > 0) {
          closed = true; // the refusal's answer has arrived
        }
      }
    }
    assertThat(closed).as("closed while still trickling").isTrue();
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(8));
    AuditEvent refused = awaitEvent();
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.reason()).isEqualTo("connection closed before the request headers ended");
  }

  private AuditEvent awaitEvent() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", routes.server.actualPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String post(String target, String body) {
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }
}
