package dev.tollgate.proxy.upstream;

import dev.tollgate.proxy.web.HeaderValues;
import dev.tollgate.proxy.web.Http1Decoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * The HTTP/1.1 decoder of an upstream's answers (RFC 9112), on {@link Http1Decoder}: the status line
 * {@code HTTP/1.x SP 3DIGIT [SP reason]} with a status of 100–599, the field lines, and the body as
 * RFC 9112 6.3 frames an answer's: none for 1xx, 204 and 304; chunked when chunked is the last
 * coding; to the connection's close for other codings or when there is no length. More than one
 * Transfer-Encoding field is refused, where Netty would read chunked if any said so. Limits as Netty's
 * decoder's defaults: a 4 KiB status line and 8 KiB of fields.
 *
 * <p>It also notes whether it read anything after the answer: a complete extra answer reaches
 * {@link UpstreamConnection} with no exchange, but part of one (a status line, say) stays inside the
 * decoder and would become the start of the next exchange's answer.
 */
final class AnswerDecoder extends Http1Decoder {
  private static final HttpResponseStatus UNKNOWN = new HttpResponseStatus(999, "Unknown");
  private boolean answered;
  private boolean readPastAnswer;
  /** Both a length and chunked: read as chunked, and the connection closed after (RFC 9112 6.3). */
  private boolean framingInDoubt;

  AnswerDecoder() {
    super(4096, 8192, 8192);
  }

  void expectAnswer() {
    answered = false;
    readPastAnswer = false;
    framingInDoubt = false;
  }

  void answered() {
    answered = true;
  }

  /** Whether the answer came with both a length and a transfer coding. */
  boolean framingInDoubt() {
    return framingInDoubt;
  }

  /** Nothing read since the answer, and nothing held. */
  boolean clean() {
    return !readPastAnswer && actualReadableBytes() == 0;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) {
    int from = buffer.readerIndex();
    super.decode(ctx, buffer, out);
    if (answered && buffer.readerIndex() != from) {
      readPastAnswer = true;
    }
  }

  /** {@code HTTP-version SP status-code SP [reason-phrase]} (RFC 9112 4); a missing last SP is let pass. */
  @Override
  protected HttpMessage startLine(byte[] b, int to) {
    if (to < 12 || b[8] != ' ' || !digit(b[9]) || !digit(b[10]) || !digit(b[11]) || to > 12 && b[12] != ' ') {
      throw new IllegalArgumentException("malformed status line");
    }
    HttpVersion version = version(b, 0);
    if (version.majorVersion() != 1) {
      throw new IllegalArgumentException("not an HTTP/1.x answer");
    }
    int code = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("status code out of range");
    }
    if (!HeaderValues.fieldContent(b, Math.min(13, to), to)) {
      // reason-phrase is field-content's characters (RFC 9112 4)
      throw new IllegalArgumentException("malformed reason phrase");
    }
    return new DefaultHttpResponse(version, HttpResponseStatus.valueOf(code), CHECKED.newHeaders());
  }

  /** RFC 9112 6.3 for an answer to a request other than HEAD or CONNECT, which Tollgate does not send. */
  @Override
  protected long body(HttpMessage answer, Framing f, long length) {
    int code = ((HttpResponse) answer).status().code();
    if (code < 200 || code == 204 || code == 304) {
      return 0;
    }
    if (f.codings() > 1) {
      throw new IllegalArgumentException("more than one Transfer-Encoding field");
    }
    if (f.codings() == 1) {
      framingInDoubt = f.lengths() > 0;
      if (framingInDoubt) {
        // the length is not the body's (RFC 9112 6.3): dropped, as Netty's decoder drops it, so
        // that nothing sizes or bounds the answer by it
        answer.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      }
      return endsInChunked(f.transferEncoding()) ? CHUNKED : UNTIL_CLOSE;
    }
    return f.lengths() > 0 ? length : UNTIL_CLOSE;
  }

  @Override
  protected HttpMessage refusedHead(HttpMessage read) {
    return read != null ? read : new DefaultHttpResponse(HttpVersion.HTTP_1_0, UNKNOWN, CHECKED.newHeaders());
  }
}
