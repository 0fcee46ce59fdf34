package dev.tollgate.proxy.upstream;

import dev.tollgate.proxy.web.HeaderValues;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.List;

/**
 * Netty's HTTP/1.1 response decoder, noting whether it read anything after the answer: a
 * complete extra answer reaches {@link UpstreamConnection} with no exchange, but part of one (a status
 * line, say) stays inside the decoder and would become the start of the next exchange's answer.
 */
final class AnswerDecoder extends HttpResponseDecoder {
  private boolean answered;
  private boolean readPastAnswer;
  /** Both a length and chunked: read as chunked, and the connection closed after (RFC 9112 6.3). */
  private boolean framingInDoubt;

  /** Netty's defaults (4 KiB status line, 8 KiB of headers), with the listener's value check. */
  AnswerDecoder() {
    super(new HttpDecoderConfig().setHeadersFactory(HeaderValues.HEADERS));
  }

  void expectAnswer() {
    answered = false;
    readPastAnswer = false;
    framingInDoubt = false;
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    framingInDoubt = true;
    super.handleTransferEncodingChunkedWithContentLength(message);
  }

  void answered() {
    answered = true;
  }

  /** Whether the answer came with both a length and chunked framing. */
  boolean framingInDoubt() {
    return framingInDoubt;
  }

  /** Nothing read since the answer, and nothing held. */
  boolean clean() {
    return !readPastAnswer && actualReadableBytes() == 0;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int from = buffer.readerIndex();
    super.decode(ctx, buffer, out);
    if (answered && buffer.readerIndex() != from) {
      readPastAnswer = true;
    }
  }
}
