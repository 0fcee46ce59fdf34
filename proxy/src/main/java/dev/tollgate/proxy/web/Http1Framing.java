package dev.tollgate.proxy.web;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * The request framings the listener refuses because another reader of the same bytes (a front
 * proxy, the sender's own library) could take the body's end to be somewhere else, and so read the
 * next request differently (RFC 9112 6.1). Each is answered with its status and closed.
 */
final class Http1Framing {
  private Http1Framing() {}

  /**
   * Netty's request decoder, refusing a request with both {@code Transfer-Encoding} and {@code
   * Content-Length}. Netty would drop the length and read the body as chunked; RFC 9112 6.1 lets a
   * server do so only if it closes the connection after answering, because a front proxy that read
   * the length instead has a different idea of where the next request starts. Refused here (400,
   * closed), as nginx refuses it.
   */
  static final class StrictRequestDecoder extends HttpRequestDecoder {
    StrictRequestDecoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      throw new IllegalArgumentException("both Transfer-Encoding and Content-Length");
    }
  }

  /**
   * Marks a decoded request whose transfer coding Tollgate does not read as refused: any coding in
   * HTTP/1.0, which did not have them (400), and any but {@code chunked} alone in HTTP/1.1 (501;
   * Netty would read such a body by its length, or as empty, where another reader might not).
   */
  static void checkCoding(HttpRequest head) {
    List<String> codings = head.headers().getAll(io.vertx.core.http.HttpHeaders.TRANSFER_ENCODING);
    if (codings.isEmpty() || !head.decoderResult().isSuccess()) {
      return;
    }
    if (head.protocolVersion() != HttpVersion.HTTP_1_1) {
      head.setDecoderResult(DecoderResult.failure(new Refusal(400, "Transfer-Encoding is not allowed in HTTP/1.0")));
    } else if (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
      head.setDecoderResult(DecoderResult.failure(new Refusal(501, "Transfer-Encoding other than chunked is not supported")));
    }
  }

  /** A request refused for its framing, with the status and reason to answer. */
  static final class Refusal extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final int status;

    Refusal(int status, String reason) {
      super(reason, null);
      this.status = status;
    }
  }
}
