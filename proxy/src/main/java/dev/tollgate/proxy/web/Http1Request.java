package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayDeque;

/**
 * One HTTP/1.x request as {@link Http1Connection} decoded it: its head, its body as a stream that
 * can be paused, and its {@link Http1Response}. Lives on its connection's event loop: pausing,
 * resuming, answering and closing from another thread are carried over to it; handlers are to be
 * set on it.
 *
 * <p>The body comes in chunks that are valid only during the handler's call: a handler that keeps
 * bytes copies them. While the request is paused, chunks wait here, and the connection stops reading
 * once one waits, so a paused request holds at most one socket read of its body.
 */
public final class Http1Request {
  private final Http1Connection connection;
  private final HttpRequest head;
  private final HttpMethod method;
  private final String path;
  private final String query;
  private final boolean keepAlive;
  private final Http1Response response;
  private Handler<ByteBuf> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean paused;
  private boolean ended;
  private Throwable failure;
  private ArrayDeque<HttpContent> waiting;

  Http1Request(Http1Connection connection, HttpRequest head) {
    this.connection = connection;
    this.head = head;
    this.method = HttpMethod.fromNetty(head.method());
    String uri = head.uri();
    int start = pathStart(uri);
    int q = start < 0 ? -1 : uri.indexOf('?', start);
    this.path = start < 0 ? "/" : q < 0 ? uri.substring(start) : uri.substring(start, q);
    this.query = q < 0 ? null : uri.substring(q + 1);
    this.keepAlive = keepAlive(head);
    this.response = new Http1Response(this);
  }

  /**
   * Where the path starts in a request target: 0 for the usual origin form ({@code /v1/traces}),
   * after the authority for the absolute form ({@code http://host/v1/traces}), -1 when an absolute
   * form has no path ({@code http://host}, which means {@code /}).
   */
  private static int pathStart(String uri) {
    if (uri.isEmpty() || uri.charAt(0) == '/') {
      return 0;
    }
    int scheme = uri.indexOf("://");
    return scheme < 0 ? 0 : uri.indexOf('/', scheme + 3);
  }

  /**
   * RFC 9112 9.3: HTTP/1.1 keeps the connection unless told to close, HTTP/1.0 only when asked to,
   * and here only for a request without a body: HTTP/1.0 readers have differed on where a 1.0 body
   * ends (Netty's decoder took the first of two differing Content-Length values), so another request
   * is not read after one.
   */
  private static boolean keepAlive(HttpRequest head) {
    HttpHeaders h = head.headers();
    if (head.protocolVersion() == io.netty.handler.codec.http.HttpVersion.HTTP_1_1) {
      return !h.containsValue(io.vertx.core.http.HttpHeaders.CONNECTION, io.vertx.core.http.HttpHeaders.CLOSE, true);
    }
    return head.protocolVersion() == io.netty.handler.codec.http.HttpVersion.HTTP_1_0
        && h.containsValue(io.vertx.core.http.HttpHeaders.CONNECTION, io.vertx.core.http.HttpHeaders.KEEP_ALIVE, true)
        && bodiless(h);
  }

  /**
   * Whether this request declares no body (RFC 9112 6.3: no Transfer-Encoding, and no
   * Content-Length or a zero one), so none of it can be left unread: a GET keeps its connection.
   */
  public boolean bodiless() {
    return bodiless(head.headers());
  }

  private static boolean bodiless(HttpHeaders h) {
    if (h.contains(io.vertx.core.http.HttpHeaders.TRANSFER_ENCODING)) {
      return false;
    }
    String length = h.get(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH);
    return length == null || length.equals("0");
  }

  public HttpMethod method() {
    return method;
  }

  /** The request target as sent. */
  public String uri() {
    return head.uri();
  }

  /** The target's path, undecoded. */
  public String path() {
    return path;
  }

  /** The target's query, undecoded, without the {@code ?}; null when there is none. */
  public String query() {
    return query;
  }

  /** HTTP/1.0 or HTTP/1.1; null for any other version the decoder read. */
  public HttpVersion version() {
    io.netty.handler.codec.http.HttpVersion v = head.protocolVersion();
    if (v == io.netty.handler.codec.http.HttpVersion.HTTP_1_1) {
      return HttpVersion.HTTP_1_1;
    }
    return v == io.netty.handler.codec.http.HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : null;
  }

  public HttpHeaders headers() {
    return head.headers();
  }

  public String getHeader(CharSequence name) {
    return head.headers().get(name);
  }

  /** Whether the decoder read this request's line, which a refused head may still have. */
  public boolean lineRead() {
    return !(head instanceof RequestDecoder.StandIn);
  }

  /** Whether the decoder read this request's head; if not, {@link DecoderResult#cause()} says why. */
  public DecoderResult decoderResult() {
    return head.decoderResult();
  }

  /** The peer's IP address, as text. */
  public String remoteAddress() {
    return connection.remoteAddress();
  }

  public Http1Response response() {
    return response;
  }

  boolean keepAlive() {
    return keepAlive;
  }

  Http1Connection connection() {
    return connection;
  }

  /** Closes the connection this request came on, at once. */
  public void closeConnection() {
    connection.close();
  }

  /** Whether the whole body has been delivered, or can no longer be (the request failed). */
  public boolean isEnded() {
    return ended || failure != null;
  }

  /** A request the decoder refused: no body follows it, on a connection that reads nothing more. */
  void endWithoutBody() {
    ended = true;
  }

  /** Takes each chunk of the body; the chunk is valid only during the call. */
  public Http1Request handler(Handler<ByteBuf> h) {
    this.handler = h;
    return this;
  }

  public Http1Request endHandler(Handler<Void> h) {
    this.endHandler = h;
    return this;
  }

  /** Told when the body cannot be read to its end: the connection closed, or a chunk was malformed. */
  public Http1Request exceptionHandler(Handler<Throwable> h) {
    this.exceptionHandler = h;
    if (h != null && failure != null && !ended) {
      ended = true;
      h.handle(failure);
    }
    return this;
  }

  /** Holds the body's chunks (and its end) here until {@link #resume}. */
  public Http1Request pause() {
    connection.onLoop(() -> paused = true);
    return this;
  }

  /** Delivers what waited, then lets the connection read the rest. */
  public Http1Request resume() {
    connection.onLoop(this::resumeOnLoop);
    return this;
  }

  private void resumeOnLoop() {
    paused = false;
    while (!paused && waiting != null && !waiting.isEmpty()) {
      HttpContent c = waiting.poll();
      try {
        deliver(c);
      } finally {
        c.release();
      }
    }
    connection.readIfWanted();
  }

  /** Whether the connection should stop reading for this request: chunks are waiting for it. */
  boolean holding() {
    return waiting != null && !waiting.isEmpty();
  }

  /** A piece of the body from the decoder; the caller releases it. */
  void content(HttpContent c) {
    if (ended) {
      return;
    }
    if (paused || holding()) {
      if (waiting == null) {
        waiting = new ArrayDeque<>(4);
      }
      waiting.add(c.retain());
      return;
    }
    deliver(c);
  }

  private void deliver(HttpContent c) {
    if (ended) {
      return;
    }
    if (!c.decoderResult().isSuccess()) {
      fail(new IllegalArgumentException("malformed request body framing"));
      return;
    }
    ByteBuf bytes = c.content();
    if (bytes.isReadable() && handler != null) {
      handler.handle(bytes);
    }
    if (c instanceof LastHttpContent && !ended) {
      ended = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
      connection.bodyEnded(this);
    }
  }

  /** The body will not come to its end: tells the exception handler (now, or when one is set). */
  void fail(Throwable cause) {
    if (ended || failure != null) {
      return;
    }
    failure = cause;
    releaseWaiting();
    if (exceptionHandler != null) {
      ended = true;
      exceptionHandler.handle(cause);
    }
    connection.bodyFailed(this);
  }

  void releaseWaiting() {
    if (waiting != null) {
      waiting.forEach(HttpContent::release);
      waiting.clear();
    }
  }
}
