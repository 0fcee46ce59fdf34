package dev.tollgate.proxy.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream that reads HTTP/1.1 requests off a raw socket and answers each by its target, with
 * bytes written by hand: some well formed, some not.
 */
final class RawBackend {
  /** A well-formed answer, kept alive. */
  static final String OK = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok";

  private final Vertx vertx;
  final int port;
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger mostOpen = new AtomicInteger();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> heads = new CopyOnWriteArrayList<>();
  final List<String> bodies = new CopyOnWriteArrayList<>();
  private final Pattern length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");

  RawBackend(Vertx vertx) throws Exception {
    this.vertx = vertx;
    NetServer server = vertx.createNetServer().connectHandler(this::connected);
    this.port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).actualPort();
  }

  private void connected(NetSocket socket) {
    connections.incrementAndGet();
    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    socket.closeHandler(v -> open.decrementAndGet());
    Buffer[] pending = {Buffer.buffer()};
    boolean[] closeOnNext = {false};
    socket.handler(chunk -> {
      pending[0].appendBuffer(chunk);
      String text = pending[0].toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      Matcher m = length.matcher(text.substring(0, end + 2));
      int bodyLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
      if (text.length() < end + 4 + bodyLength) {
        return;
      }
      String head = text.substring(0, end + 2);
      heads.add(head);
      bodies.add(text.substring(end + 4, end + 4 + bodyLength));
      pending[0] = Buffer.buffer(text.substring(end + 4 + bodyLength).getBytes(StandardCharsets.ISO_8859_1));
      String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/1.1"));
      requests.add(target);
      if (closeOnNext[0]) {
        socket.close(); // closed as if idle too long, just as the request came: nothing answered
        return;
      }
      closeOnNext[0] = target.equals("/then-close");
      answer(socket, target);
    });
  }

  private void answer(NetSocket socket, String target) {
    switch (target) {
      case "/slow" -> vertx.setTimer(100, t -> socket.write(OK));
      // Says it will close, and leaves the closing to Tollgate.
      case "/close" -> socket.write(OK.replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n"));
      case "/drop" -> socket.write(OK).onComplete(w -> vertx.setTimer(20, t -> socket.close()));
      case "/extra" -> socket.write(OK + OK.replace("ok", "no"));
      // After a pause, so that the next request is already waiting for this connection.
      case "/extra-later" -> vertx.setTimer(100, t -> socket.write(OK + OK.replace("ok", "no")));
      case "/longer-later" -> vertx.setTimer(100, t -> socket.write(OK + "HTTP/1.1 200 OK\r\n"));
      case "/continue" -> socket.write("HTTP/1.1 100 Continue\r\n\r\n" + OK);
      case "/busy" -> socket.write("HTTP/1.1 503 Service Unavailable\r\nretry-after: 7\r\ncontent-length: 0\r\n\r\n");
      case "/chunked", "/bigchunked" -> socket.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
          + "50\r\n" + "x".repeat(80) + "\r\n50\r\n" + "y".repeat(80) + "\r\n0\r\n\r\n");
      case "/big" -> socket.write("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n" + "x".repeat(1000));
      case "/garbage" -> socket.write("SPDY/9 what is this\r\n\r\n");
      case "/long-header" -> socket.write(OK.replace("\r\n\r\n", "\r\nx-note: " + "n".repeat(40) + "\t" + "n".repeat(40) + "\r\n\r\n"));
      case "/control-header" -> socket.write(OK.replace("\r\n\r\n", "\r\nx-note: " + "n".repeat(40) + "\u0001" + "n".repeat(40) + "\r\n\r\n"));
      case "/both" -> socket.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n"
          + "2\r\nok\r\n0\r\n\r\n");
      case "/not-modified" -> socket.write("HTTP/1.1 304 Not Modified\r\ncontent-length: 1000\r\n\r\n");
      case "/short" -> socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten!!")
          .onComplete(w -> socket.close());
      case "/closed" -> socket.close();
      case "/hang" -> { }
      default -> socket.write(OK);
    }
  }
}
