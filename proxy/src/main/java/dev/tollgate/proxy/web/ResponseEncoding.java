package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.util.Iterator;
import java.util.Map;

/**
 * An answer's bytes, written straight into one buffer: the bytes Netty's {@code HttpResponseEncoder}
 * writes for a whole response with a length (ResponseEncodingTest compares the two), without the
 * encoder's pipeline stage, its message object and its per-message bookkeeping. As that encoder does,
 * it drops the length and any coding of a 1xx or 204 answer, sets a 205's length to 0, and sends no
 * body with a 1xx, 204, 205 or 304. Neither a chunked answer nor a 101 is among what Tollgate
 * sends (Netty's encoder would keep a 101's body for an old WebSocket handshake; this does not).
 */
final class ResponseEncoding {
  /** A body up to this size is copied in after the head; a larger one is sent as it is, behind it. */
  static final int COPY_BODY_UP_TO = 4096;
  private static final int CRLF = ('\r' << 8) | '\n';
  private static final int COLON_SP = (':' << 8) | ' ';
  private static final byte[] CONTINUE_11 = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(CharsetUtil.US_ASCII);

  private ResponseEncoding() {}

  /** {@code 100 Continue}, as Netty's encoder writes it for a response without fields. */
  static ByteBuf continue11() {
    return Unpooled.wrappedBuffer(CONTINUE_11);
  }

  /**
   * The answer's bytes, with {@code body} (whose reference this takes: it is released here, or
   * by the returned buffer).
   */
  static ByteBuf encode(ByteBufAllocator alloc, HttpVersion version, HttpResponseStatus status, HttpHeaders headers,
      ByteBuf body) {
    int code = status.code();
    boolean noBody = status.codeClass() == HttpStatusClass.INFORMATIONAL || code == 204 || code == 205 || code == 304;
    if (status.codeClass() == HttpStatusClass.INFORMATIONAL || code == 204) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    } else if (code == 205) {
      headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    }
    int length = noBody ? 0 : body.readableBytes();
    boolean copy = length <= COPY_BODY_UP_TO;
    ByteBuf out = alloc.buffer(256 + (copy ? length : 0));
    try {
      out.writeCharSequence(version.text(), CharsetUtil.US_ASCII);
      out.writeByte(' ');
      write(out, status.codeAsText());
      out.writeByte(' ');
      write(out, status.reasonPhrase());
      out.writeShort(CRLF);
      for (Iterator<Map.Entry<CharSequence, CharSequence>> i = headers.iteratorCharSequence(); i.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> h = i.next();
        write(out, h.getKey());
        out.writeShort(COLON_SP);
        write(out, h.getValue());
        out.writeShort(CRLF);
      }
      out.writeShort(CRLF);
      if (length == 0) {
        body.release();
        return out;
      }
      if (copy) {
        out.writeBytes(body, body.readerIndex(), length);
        body.release();
        return out;
      }
      return Unpooled.wrappedBuffer(out, body);
    } catch (RuntimeException | Error e) {
      out.release();
      body.release();
      throw e;
    }
  }

  /** As Netty's encoder writes a name or value: an AsciiString's bytes, or each char as a byte ('?' above U+00FF). */
  private static void write(ByteBuf out, CharSequence s) {
    if (s instanceof AsciiString a) {
      out.writeBytes(a.array(), a.arrayOffset(), a.length());
    } else {
      out.writeCharSequence(s, CharsetUtil.US_ASCII);
    }
  }
}
