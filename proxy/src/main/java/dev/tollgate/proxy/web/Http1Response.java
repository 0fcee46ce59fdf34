package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The answer to one {@link Http1Request}: a status, headers and one whole body, sent in one write.
 * The connection's framing is set here, not by callers: {@code Content-Length} from the body, and
 * {@code Connection} from whether the connection stays open (RFC 9112 9.3).
 */
public final class Http1Response {
  private final Http1Request request;
  private final HttpHeaders headers = new DefaultHttpHeaders();
  private int status = 200;
  private boolean ended;
  private boolean closed;
  private Handler<Void> closeHandler;

  Http1Response(Http1Request request) {
    this.request = request;
  }

  public Http1Response setStatusCode(int status) {
    this.status = status;
    return this;
  }

  public int getStatusCode() {
    return status;
  }

  public Http1Response putHeader(CharSequence name, CharSequence value) {
    headers.set(name, value);
    return this;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** Whether the connection is gone: nothing sent now would arrive. */
  public boolean closed() {
    return closed;
  }

  /** Called once if the connection closes before this answer is written. */
  public Http1Response closeHandler(Handler<Void> h) {
    this.closeHandler = h;
    return this;
  }

  void connectionClosed() {
    if (!closed) {
      closed = true;
      if (closeHandler != null && !ended) {
        closeHandler.handle(null);
      }
    }
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Sends {@code 100 Continue}: the sender may now send the body it holds back. Not to an HTTP/1.0
   * sender, which has no such answer (RFC 9110 10.1.1).
   */
  public void writeContinue() {
    if (!ended && !closed && request.version() == io.vertx.core.http.HttpVersion.HTTP_1_1) {
      request.connection().writeContinue();
    }
  }

  public Future<Void> end() {
    return end(Unpooled.EMPTY_BUFFER);
  }

  public Future<Void> end(String body) {
    return end(Unpooled.wrappedBuffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  public Future<Void> end(Buffer body) {
    return end(((BufferInternal) body).getByteBuf());
  }

  /**
   * Sends the answer; its future completes once it is written to the socket. A second answer is a
   * defect, refused with an exception.
   */
  private Future<Void> end(ByteBuf body) {
    if (ended) {
      throw new IllegalStateException("the response was already sent");
    }
    ended = true;
    boolean keepAlive = request.keepAlive() && !headers.containsValue(
        io.vertx.core.http.HttpHeaders.CONNECTION, io.vertx.core.http.HttpHeaders.CLOSE, true);
    HttpVersion version = request.version() == io.vertx.core.http.HttpVersion.HTTP_1_0
        ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    if (version == HttpVersion.HTTP_1_0 && keepAlive) {
      headers.set(io.vertx.core.http.HttpHeaders.CONNECTION, io.vertx.core.http.HttpHeaders.KEEP_ALIVE);
    } else if (version == HttpVersion.HTTP_1_1 && !keepAlive) {
      headers.set(io.vertx.core.http.HttpHeaders.CONNECTION, io.vertx.core.http.HttpHeaders.CLOSE);
    }
    boolean head = request.method() == HttpMethod.HEAD;
    ByteBuf content = body;
    if (head || status == 304) {
      content = Unpooled.EMPTY_BUFFER; // HEAD's length is the caller's to state; 304 has none
      headers.remove(io.vertx.core.http.HttpHeaders.TRANSFER_ENCODING);
    } else if (!headers.contains(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH)) {
      headers.setInt(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH, body.readableBytes());
    }
    return request.connection().answer(request, version, HttpResponseStatus.valueOf(status), headers, content, keepAlive);
  }
}
