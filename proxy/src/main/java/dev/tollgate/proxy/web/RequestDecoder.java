package dev.tollgate.proxy.web;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The listener's HTTP/1.1 request decoder (RFC 9112), in place of Netty's: it hands on the same
 * messages, so {@link Http1Connection} reads either, but reads a narrower language (see {@link
 * Http1Decoder}) and reads it in one pass. Beyond what {@link Http1Decoder} refuses anywhere, it
 * refuses a request target with a byte outside 0x21–0x7E; a request line that is not method, target
 * and {@code HTTP/d.d} separated by single spaces; and the framings {@link Http1Framing} lists. A
 * request whose line could not be read is handed on as a {@link StandIn} (see {@link
 * Routes#invalid}).
 */
final class RequestDecoder extends Http1Decoder {
  RequestDecoder() {
    super(Http1Server.MAX_REQUEST_LINE, Http1Server.MAX_HEADERS, Http1Server.MAX_CHUNK);
  }

  /** {@code method SP request-target SP HTTP-version}, single spaces (RFC 9112 3). */
  @Override
  protected HttpMessage startLine(byte[] b, int to) {
    int i = 0;
    while (i < to && TCHAR[b[i] & 0xFF]) {
      i++;
    }
    if (i == 0 || i >= to || b[i] != ' ') {
      throw new IllegalArgumentException("malformed request line");
    }
    HttpMethod method = method(b, i);
    int targetStart = ++i;
    while (i < to && b[i] > 0x20 && b[i] < 0x7F) {
      i++;
    }
    if (i == targetStart || i >= to || b[i] != ' ') {
      throw new IllegalArgumentException("malformed request line");
    }
    if (to - (i + 1) != 8) {
      throw new IllegalArgumentException("malformed HTTP version");
    }
    String target = latin1(b, targetStart, i - targetStart);
    HttpVersion version = version(b, i + 1);
    return new DefaultHttpRequest(version, method, target, CHECKED.newHeaders());
  }

  private static HttpMethod method(byte[] b, int n) {
    if (n == 4 && b[0] == 'P' && b[1] == 'O' && b[2] == 'S' && b[3] == 'T') {
      return HttpMethod.POST;
    }
    if (n == 3 && b[0] == 'G' && b[1] == 'E' && b[2] == 'T') {
      return HttpMethod.GET;
    }
    return HttpMethod.valueOf(latin1(b, 0, n));
  }

  /** RFC 9112 6.3 for a request: chunked, a length, or no body; with the refusals of {@link Http1Framing}. */
  @Override
  protected long body(HttpMessage request, Framing f, long length) {
    if (f.codings() > 0) {
      if (f.lengths() > 0) {
        throw new IllegalArgumentException("both Transfer-Encoding and Content-Length");
      }
      if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
        throw new Http1Framing.Refusal(400, "Transfer-Encoding is not allowed in HTTP/1.0");
      }
      if (f.codings() == 1 && !endsInChunked(f.transferEncoding())) {
        // RFC 9112 6.3: where the body ends cannot be known
        throw new Http1Framing.Refusal(400, "Transfer-Encoding that does not end in chunked");
      }
      if (f.codings() > 1 || f.transferEncoding().indexOf(',') >= 0) {
        throw new Http1Framing.Refusal(501, "Transfer-Encoding other than chunked is not supported");
      }
      return CHUNKED;
    }
    return length;
  }

  /**
   * The request as read, or a {@link StandIn} for one whose line could not be read, which {@link
   * Routes#invalid} does not audit as the client's method and path.
   */
  @Override
  protected HttpMessage refusedHead(HttpMessage read) {
    return read != null ? read : new StandIn();
  }

  /** What stands for a request whose line could not be read: Netty's {@code GET /bad-request}, marked as such. */
  static final class StandIn extends DefaultHttpRequest {
    StandIn() {
      super(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request", CHECKED.newHeaders());
    }
  }
}
