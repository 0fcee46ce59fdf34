package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies as {@link BodyReader} hands them over: each in an array of its own, also when requests
 * follow each other on one connection faster than they are read.
 */
class BodyReaderTest {
  @TempDir Path dir;
  RoutesServer routes;
  final Keeping endpoint = new Keeping();

  /** Reads each body, keeps it as handed over, and answers with its length. */
  static final class Keeping implements Endpoint {
    final BlockingQueue<BodyReader.Body> bodies = new LinkedBlockingQueue<>();
    /** What the in-flight budget held as each body was handed over. */
    final BlockingQueue<Long> heldAtRead = new LinkedBlockingQueue<>();

    @Override
    public boolean matches(String path) {
      return path.equals("/keep");
    }

    @Override
    public void handle(Exchange x) {
      BodyReader.read(x, 1 << 20).onComplete(x.guard(ar -> {
        heldAtRead.add(x.budget().held());
        x.bodyRead();
        bodies.add(ar.result());
        x.respond(200, "text/plain", Buffer.buffer(Integer.toString(ar.result().length())));
      }));
    }
  }

  /**
   * Reads the body only once the client has gone, as an exchange whose authentication waited on a
   * key refetch would, and answers a failure as the ingest endpoints do.
   */
  static final class Late implements Endpoint {
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    final java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);

    @Override
    public boolean matches(String path) {
      return path.equals("/late");
    }

    @Override
    public void handle(Exchange x) {
      x.response().closeHandler(v -> BodyReader.read(x, 1 << 20).onComplete(x.guard(ar -> {
        failures.add(ar.failed() ? ar.cause() : new AssertionError("read a body from a closed connection"));
        x.fail(400, ar.failed() ? ar.cause().getMessage() : "read");
      })));
      handled.countDown();
    }
  }

  final Late late = new Late();

  @BeforeEach
  void start() throws Exception {
    routes = RoutesServer.start(dir, List.of(endpoint, late), 16 << 20);
  }

  @AfterEach
  void stop() throws Exception {
    routes.close();
  }

  @Test
  void aBodyInOneChunkIsHandedOverWhole() throws Exception {
    byte[] sent = random(2_721, 1);
    exchange(List.of(request(sent)));

    BodyReader.Body body = endpoint.bodies.poll(10, TimeUnit.SECONDS);
    assertThat(body.length()).isEqualTo(sent.length);
    assertThat(body.bytes()).as("exactly filled").hasSize(sent.length).isEqualTo(sent);
  }

  @Test
  void bodiesSentBackToBackOnOneConnectionStayIntact() throws Exception {
    // Sizes around one chunk (8 KiB in Vert.x), one byte, and several chunks, all in one write: the
    // server reads them out of the same socket reads, so any array shared between two bodies shows.
    int[] sizes = {1, 2_721, 8_191, 8_192, 8_193, 300, 100_000, 4_096, 65_536, 7};
    List<byte[]> sent = new ArrayList<>();
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      sent.add(random(sizes[i], 100 + i));
      requests.add(request(sent.get(i)));
    }
    String answers = exchange(requests);

    for (int i = 0; i < sizes.length; i++) {
      BodyReader.Body body = endpoint.bodies.poll(10, TimeUnit.SECONDS);
      assertThat(Arrays.copyOf(body.bytes(), body.length())).as("body %d (%d bytes)", i, sizes[i])
          .isEqualTo(sent.get(i));
    }
    assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(sizes.length + 1);
  }

  @Test
  void aChunkedBodyIsJoinedWhole() throws Exception {
    byte[] sent = random(40_000, 7);
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    chunked.write(("POST /keep HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    for (int at = 0; at < sent.length; at += 16_384) {
      int n = Math.min(16_384, sent.length - at);
      chunked.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.write(sent, at, n);
      chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    exchange(List.of(chunked.toByteArray()));

    BodyReader.Body body = endpoint.bodies.poll(10, TimeUnit.SECONDS);
    assertThat(Arrays.copyOf(body.bytes(), body.length())).isEqualTo(sent);
  }

  /**
   * While a body is held, the budget is charged for exactly the array that holds it: the declared
   * length when it is kept as it came, the decoded array when it was compressed (the compressed
   * bytes given back), the grown array when no length was declared; nothing once answered.
   */
  @Test
  void theBudgetHoldsExactlyTheBodysArrayUntilTheAnswer() throws Exception {
    byte[] plain = random(2_721, 3);
    byte[] text = "a compressible line of telemetry\n".repeat(400).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(text);
    }
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    gzipped.write(("POST /keep HTTP/1.1\r\nhost: x\r\ncontent-encoding: gzip\r\ncontent-length: " + gz.size()
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    gzipped.write(gz.toByteArray());
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    chunked.write("POST /keep HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    chunked.write(("5000\r\n").getBytes(StandardCharsets.US_ASCII));
    chunked.write(random(0x5000, 4));
    chunked.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    for (byte[] request : List.of(request(plain), request(new byte[0]), gzipped.toByteArray(), chunked.toByteArray())) {
      exchange(List.of(request));
      BodyReader.Body body = endpoint.bodies.poll(10, TimeUnit.SECONDS);
      assertThat(endpoint.heldAtRead.poll(10, TimeUnit.SECONDS)).as("held with a %d-byte body", body.length())
          .isEqualTo(body.bytes().length);
      awaitNothingHeld();
    }
  }

  @Test
  void aBodyAskedForAfterTheClientHasGoneFailsAndGivesItsBudgetBack() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", routes.server.actualPort())) {
      socket.getOutputStream().write(("POST /late HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n"
          + "the first bytes").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      // the request reaches the endpoint before the connection closes
      assertThat(late.handled.await(10, TimeUnit.SECONDS)).isTrue();
    }
    Throwable failure = late.failures.poll(10, TimeUnit.SECONDS);
    assertThat(failure).as("an answer, not a read that never ends").isInstanceOf(BodyReader.Unreadable.class)
        .hasMessage("connection closed before the body was read");
    awaitNothingHeld();
    for (int i = 0; i < 500 && routes.audit.written() == 0; i++) {
      Thread.sleep(10); // the audit writer gathers events for a few milliseconds
    }
    assertThat(routes.audit.written()).as("the exchange is audited").isEqualTo(1);
  }

  private void awaitNothingHeld() throws InterruptedException {
    for (int i = 0; i < 200 && routes.inFlight.held() != 0; i++) {
      Thread.sleep(10);
    }
    assertThat(routes.inFlight.held()).as("held after the answer").isZero();
  }

  private static byte[] request(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(("POST /keep HTTP/1.1\r\nhost: x\r\ncontent-length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    return out.toByteArray();
  }

  /** Writes every request in one go on one connection and reads until each has its answer. */
  private String exchange(List<byte[]> requests) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] r : requests) {
      all.write(r);
    }
    try (Socket socket = new Socket("127.0.0.1", routes.server.actualPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(all.toByteArray());
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder answers = new StringBuilder();
      byte[] buf = new byte[8192];
      while (answers.toString().split("HTTP/1.1 ", -1).length <= requests.size()
          || !answers.toString().endsWith(lastAnswerEnd(answers.toString()))) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        answers.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      return answers.toString();
    }
  }

  /** The last answer's body (its length, as text): reading stops once it has arrived. */
  private static String lastAnswerEnd(String answers) {
    int head = answers.lastIndexOf("\r\n\r\n");
    int lengthAt = answers.lastIndexOf("content-length: ");
    if (head < 0 || lengthAt < 0) {
      return "\u0000never";
    }
    int lineEnd = answers.indexOf("\r\n", lengthAt);
    if (lineEnd < 0) {
      return "\u0000never";
    }
    int length = Integer.parseInt(answers.substring(lengthAt + 16, lineEnd).trim());
    return answers.length() - head - 4 == length ? answers.substring(head + 4) : "\u0000never";
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
