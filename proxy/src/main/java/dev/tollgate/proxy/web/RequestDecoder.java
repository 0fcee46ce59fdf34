package dev.tollgate.proxy.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.List;

/**
 * The listener's HTTP/1.1 request decoder (RFC 9112), in place of Netty's: it hands on the same
 * messages (an {@link HttpRequest}, then its body as {@link io.netty.handler.codec.http.HttpContent}s
 * ending in a {@link LastHttpContent}), so {@link Http1Connection} reads either, but it reads a
 * narrower language, and reads it in one pass.
 *
 * <p>What it refuses, each answered by {@link Routes#invalid} and closed: a line ended by a bare LF;
 * a folded header line (obs-fold); whitespace or any other non-token byte in a header name; a control
 * character (but HTAB) or DEL in a header value; a request target with a byte outside 0x21–0x7E; a
 * request line that is not method, target and {@code HTTP/d.d} separated by single spaces; more than
 * one Content-Length, or one that is not all digits; Transfer-Encoding with Content-Length, in
 * HTTP/1.0, or other than a single {@code chunked} (see {@link Http1Framing}); a chunk line that is
 * not a hexadecimal size with optional extensions, and chunk data not followed by CRLF. Where Netty
 * accepts some of these (folded lines, spaces around words of the request line, several equal
 * lengths), another reader of the same bytes may not, and the difference is what request smuggling
 * is made of.
 *
 * <p>Why not Netty's decoder: it builds each header line in a scratch buffer, makes the name an
 * {@code AsciiString} and the value a {@code String}, then checks both again as it adds them to the
 * headers, each a character at a time. Here the head is found with one byte search per line, copied
 * once into a per-thread array, checked there (values eight bytes at a time), and the common header
 * names are Netty's constants rather than new strings; the headers are then added unchecked, having
 * been checked. The copy is cleared after each head: it holds the caller's token.
 */
final class RequestDecoder extends ByteToMessageDecoder {
  private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BAD }

  /** Headers as this decoder hands them on: checked here already, so not again when added. */
  private static final HttpHeadersFactory CHECKED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  /** The longest chunk size line, extensions included. */
  private static final int MAX_CHUNK_LINE = 1024;
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final boolean[] TCHAR = new boolean[256];
  /** Header names given as Netty's constants, not made anew for each request. */
  private static final AsciiString[] KNOWN = {
      HttpHeaderNames.HOST, HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.CONTENT_TYPE,
      HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.CONNECTION, HttpHeaderNames.USER_AGENT, HttpHeaderNames.ACCEPT,
      HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.EXPECT, AsciiString.cached("traceparent")};
  private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[Http1Server.MAX_REQUEST_LINE + Http1Server.MAX_HEADERS + 4];
    }
  };

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private final int maxLine = Http1Server.MAX_REQUEST_LINE;
  private final int maxHeaders = Http1Server.MAX_HEADERS;
  private final int maxChunk = Http1Server.MAX_CHUNK;
  private State state = State.HEAD;
  /** HEAD and TRAILERS: where the next line to look at starts, from the reader index. */
  private int scanned;
  /**
   * HEAD and TRAILERS: where each line found so far ends (its LF), from the reader index; in a head,
   * the first is the request line's. Kept so the lines are searched for once, with Netty's byte
   * search, and not again a byte at a time.
   */
  private int[] lineEnds = new int[16];
  private int lines;
  /** FIXED and CHUNK_DATA: the bytes of the body, or of the chunk, still to come. */
  private long remaining;

  /** This thread's copy of the last head, for tests: it holds nothing between heads. */
  static byte[] scratch() {
    return SCRATCH.get();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (state) {
      case HEAD -> head(in, out);
      case FIXED -> fixed(in, out);
      case CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS -> {
        try {
          chunked(in, out);
        } catch (IllegalArgumentException e) {
          bodyFailed(out, e);
          in.skipBytes(in.readableBytes());
        }
      }
      case BAD -> in.skipBytes(in.readableBytes());
    }
  }

  /**
   * The connection closed: a request whose line came but not the rest of its head is handed on as
   * refused, and a body cut short ends in a failed chunk, as Netty's decoder does.
   */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    super.decodeLast(ctx, in, out);
    PrematureChannelClosureException closed = new PrematureChannelClosureException("connection closed");
    switch (state) {
      case HEAD -> {
        if (lines > 0) {
          refused(out, requestLine(in, in.readerIndex(), in.readerIndex() + lineEnds[0] - 1), closed);
        }
      }
      case FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS -> bodyFailed(out, closed);
      case BAD -> { }
    }
    state = State.BAD;
  }

  // ---- the head

  private void head(ByteBuf in, List<Object> out) {
    int start = skipEmptyLines(in);
    int end = in.writerIndex();
    int pos = start + scanned;
    try {
      while (true) {
        int lf = in.indexOf(pos, end, LF);
        if (lf < 0) {
          int partial = end - pos;
          if (partial > 0 && in.getByte(end - 1) == CR) {
            partial--; // the line's own CR, perhaps
          }
          checkLimits(end - start, partial);
          scanned = pos - start;
          return;
        }
        if (lf == pos || in.getByte(lf - 1) != CR) {
          throw new IllegalArgumentException("a line not ended by CRLF");
        }
        checkLimits(lf + 1 - start, lf - 1 - pos);
        addLine(lf - start);
        if (lines > 1 && lf - 1 == pos) {
          parseHead(in, start, lf + 1 - start, out);
          return;
        }
        pos = lf + 1;
      }
    } catch (IllegalArgumentException | TooLongFrameException e) {
      refused(out, lines > 0 ? requestLine(in, start, start + lineEnds[0] - 1) : placeholder(), e);
      in.skipBytes(in.readableBytes());
    }
  }

  private void addLine(int lf) {
    if (lines == lineEnds.length) {
      lineEnds = Arrays.copyOf(lineEnds, 2 * lines);
    }
    lineEnds[lines++] = lf;
  }

  /**
   * What is handed on for a request whose line could not be read: Netty's stand-in, which {@link
   * Routes#invalid} knows not to audit as the client's method and path.
   */
  private static HttpRequest placeholder() {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request", CHECKED.newHeaders());
  }

  /**
   * RFC 9112 2.2: empty lines before a request line are ignored (a client may send a CRLF after a
   * body); returns where the request starts.
   */
  private static int skipEmptyLines(ByteBuf in) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    while (i + 1 < end && in.getByte(i) == CR && in.getByte(i + 1) == LF) {
      i += 2;
    }
    in.readerIndex(i);
    return i;
  }

  /** The request line, then the header block, must stay within their limits, read so far or whole. */
  private void checkLimits(int headSoFar, int lineSoFar) {
    if (lines == 0) {
      if (lineSoFar > maxLine) {
        throw new TooLongHttpLineException("request line longer than " + maxLine + " bytes");
      }
    } else if (headSoFar - (lineEnds[0] + 1) > maxHeaders) {
      throw new TooLongHttpHeaderException("header block larger than " + maxHeaders + " bytes");
    }
  }

  /** A whole head, {@code length} bytes at {@code start}: parsed, handed on, and its body's reading begun. */
  private void parseHead(ByteBuf in, int start, int length, List<Object> out) {
    byte[] b = SCRATCH.get();
    in.getBytes(start, b, 0, length);
    in.skipBytes(length);
    HttpRequest request = null;
    try {
      request = requestLine(b, 0, lineEnds[0] - 1);
      // the field lines: all but the request line and the empty line that ends the head
      Framing framing = headers(b, lineEnds, 1, lines - 1, request.headers());
      lines = 0;
      scanned = 0;
      beginBody(request, framing, out);
    } catch (IllegalArgumentException e) {
      refused(out, request != null ? request : placeholder(), e);
      in.skipBytes(in.readableBytes());
    } finally {
      Arrays.fill(b, 0, length, (byte) 0);
    }
  }

  /**
   * The request line from {@code from} to {@code to} (its CR) in a buffer, for a head refused or cut
   * short after it, or the {@link #placeholder()} when the line itself is malformed.
   */
  private static HttpRequest requestLine(ByteBuf in, int from, int to) {
    byte[] b = new byte[to - from];
    in.getBytes(from, b);
    try {
      return requestLine(b, 0, b.length);
    } catch (IllegalArgumentException e) {
      return placeholder();
    }
  }

  /**
   * {@code method SP request-target SP HTTP-version}, single spaces (RFC 9112 3), from {@code from}
   * to {@code to}, the line's CR.
   */
  private static HttpRequest requestLine(byte[] b, int from, int to) {
    int i = from;
    while (i < to && TCHAR[b[i] & 0xFF]) {
      i++;
    }
    if (i == from || i >= to || b[i] != ' ') {
      throw new IllegalArgumentException("malformed request line");
    }
    HttpMethod method = method(b, from, i);
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

  private static HttpMethod method(byte[] b, int from, int to) {
    int n = to - from;
    if (n == 4 && b[from] == 'P' && b[from + 1] == 'O' && b[from + 2] == 'S' && b[from + 3] == 'T') {
      return HttpMethod.POST;
    }
    if (n == 3 && b[from] == 'G' && b[from + 1] == 'E' && b[from + 2] == 'T') {
      return HttpMethod.GET;
    }
    return HttpMethod.valueOf(latin1(b, from, n));
  }

  /** {@code HTTP/d.d} (RFC 9112 2.3), the eight bytes at {@code from}. */
  private static HttpVersion version(byte[] b, int from) {
    if (b[from] != 'H' || b[from + 1] != 'T' || b[from + 2] != 'T' || b[from + 3] != 'P'
        || b[from + 4] != '/' || !digit(b[from + 5]) || b[from + 6] != '.' || !digit(b[from + 7])) {
      throw new IllegalArgumentException("malformed HTTP version");
    }
    int major = b[from + 5] - '0';
    int minor = b[from + 7] - '0';
    if (major == 1 && minor == 1) {
      return HttpVersion.HTTP_1_1;
    }
    return major == 1 && minor == 0 ? HttpVersion.HTTP_1_0 : new HttpVersion("HTTP", major, minor, true);
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** What the headers say about the body. */
  private record Framing(String contentLength, int lengths, String transferEncoding, int codings) {}

  /**
   * The field lines {@code first} to {@code last} (exclusive), each ending at its {@code ends[k]}
   * (an LF after a CR, as found), the line before it ending where it starts: each {@code token ":"
   * OWS field-value OWS CRLF} (RFC 9112 5), added to {@code headers} when given.
   */
  private static Framing headers(byte[] b, int[] ends, int first, int last, HttpHeaders headers) {
    String contentLength = null;
    String coding = null;
    int lengths = 0;
    int codings = 0;
    for (int k = first; k < last; k++) {
      int i = k == 0 ? 0 : ends[k - 1] + 1;
      int cr = ends[k] - 1;
      int nameEnd = i;
      while (TCHAR[b[nameEnd] & 0xFF]) {
        nameEnd++;
      }
      if (nameEnd == i || b[nameEnd] != ':') {
        // a folded line (RFC 9112 5.2), whitespace before the colon (5.1), or no name at all
        throw new IllegalArgumentException("malformed header line");
      }
      int v = nameEnd + 1;
      while (v < cr && (b[v] == ' ' || b[v] == '\t')) {
        v++;
      }
      int vEnd = cr;
      while (vEnd > v && (b[vEnd - 1] == ' ' || b[vEnd - 1] == '\t')) {
        vEnd--;
      }
      // a CR inside the value is a control character, refused here
      if (!HeaderValues.fieldContent(b, v, vEnd)) {
        throw new IllegalArgumentException("malformed header value");
      }
      AsciiString name = name(b, i, nameEnd - i);
      String value = latin1(b, v, vEnd - v);
      if (name == HttpHeaderNames.CONTENT_LENGTH) {
        contentLength = value;
        lengths++;
      } else if (name == HttpHeaderNames.TRANSFER_ENCODING) {
        coding = value;
        codings++;
      }
      if (headers != null) {
        headers.add(name, value);
      }
    }
    return new Framing(contentLength, lengths, coding, codings);
  }

  private static AsciiString name(byte[] b, int from, int n) {
    for (AsciiString known : KNOWN) {
      if (known.length() == n && sameName(b, from, known)) {
        return known;
      }
    }
    return new AsciiString(b, from, n, true);
  }

  /**
   * Whether the token at {@code from} is {@code lower} in any case. A token's bytes with 0x20 set
   * equal a lowercase name's only where they are that letter in either case, or the same byte.
   */
  private static boolean sameName(byte[] b, int from, AsciiString lower) {
    for (int k = 0; k < lower.length(); k++) {
      if ((b[from + k] | 0x20) != lower.byteAt(k)) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("deprecation") // String(byte[], int hibyte, int, int): one copy, kept Latin-1
  private static String latin1(byte[] b, int from, int n) {
    return new String(b, 0, from, n);
  }

  /** Hands on the head, then reads the body its framing says (RFC 9112 6.3), or none. */
  private void beginBody(HttpRequest request, Framing f, List<Object> out) {
    if (f.codings() > 0) {
      if (f.lengths() > 0) {
        throw new IllegalArgumentException("both Transfer-Encoding and Content-Length");
      }
      if (request.protocolVersion() != HttpVersion.HTTP_1_1) {
        throw new Http1Framing.Refusal(400, "Transfer-Encoding is not allowed in HTTP/1.0");
      }
      if (f.codings() > 1 || !f.transferEncoding().equalsIgnoreCase("chunked")) {
        throw new Http1Framing.Refusal(501, "Transfer-Encoding other than chunked is not supported");
      }
      out.add(request);
      state = State.CHUNK_SIZE;
      return;
    }
    long length = f.lengths() == 0 ? 0 : contentLength(f);
    if (f.lengths() > 0 && f.contentLength().length() > 1 && f.contentLength().charAt(0) == '0') {
      // leading zeros: handed on as the number, as Netty's decoder does, so no reader sees "010"
      request.headers().set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
    }
    out.add(request);
    if (length == 0) {
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      remaining = length;
      state = State.FIXED;
    }
  }

  private static long contentLength(Framing f) {
    String v = f.contentLength();
    if (f.lengths() > 1 || v.isEmpty() || v.length() > 18) {
      throw new IllegalArgumentException("malformed Content-Length");
    }
    long n = 0;
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("malformed Content-Length");
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private void refused(List<Object> out, HttpRequest request, Exception cause) {
    request.setDecoderResult(DecoderResult.failure(cause));
    out.add(request);
    state = State.BAD;
    scanned = 0;
    lines = 0;
  }

  // ---- the body

  private void fixed(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(Math.min(in.readableBytes(), maxChunk), remaining);
    if (n == 0) {
      return;
    }
    ByteBuf part = in.readRetainedSlice(n);
    remaining -= n;
    if (remaining == 0) {
      out.add(new DefaultLastHttpContent(part, EmptyHttpHeaders.INSTANCE));
      state = State.HEAD;
    } else {
      out.add(new DefaultHttpContent(part));
    }
  }

  /** The chunked coding (RFC 9112 7.1), one step at a time while there is input for it. */
  private void chunked(ByteBuf in, List<Object> out) {
    switch (state) {
      case CHUNK_SIZE -> {
        int from = in.readerIndex();
        int lf = in.indexOf(from, Math.min(in.writerIndex(), from + MAX_CHUNK_LINE), LF);
        if (lf < 0) {
          if (in.readableBytes() >= MAX_CHUNK_LINE) {
            throw new IllegalArgumentException("chunk size line too long");
          }
          return;
        }
        long size = chunkSize(in, from, lf);
        in.readerIndex(lf + 1);
        if (size == 0) {
          state = State.TRAILERS;
          scanned = 0;
          lines = 0;
        } else {
          remaining = size;
          state = State.CHUNK_DATA;
        }
      }
      case CHUNK_DATA -> {
        int n = (int) Math.min(Math.min(in.readableBytes(), maxChunk), remaining);
        if (n == 0) {
          return;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        remaining -= n;
        if (remaining == 0) {
          state = State.CHUNK_END;
        }
      }
      case CHUNK_END -> {
        if (in.readableBytes() < 2) {
          return;
        }
        if (in.readByte() != CR || in.readByte() != LF) {
          throw new IllegalArgumentException("chunk data not followed by CRLF");
        }
        state = State.CHUNK_SIZE;
      }
      case TRAILERS -> trailers(in, out);
      default -> throw new IllegalStateException(state.name());
    }
  }

  /**
   * {@code 1*HEXDIG chunk-ext CRLF} (RFC 9112 7.1), the size read and the extensions checked: not
   * used, but they must be what the grammar allows.
   */
  private static long chunkSize(ByteBuf in, int from, int lf) {
    if (lf == from || in.getByte(lf - 1) != CR) {
      throw new IllegalArgumentException("a chunk line not ended by CRLF");
    }
    int end = lf - 1;
    long size = 0;
    int i = from;
    for (; i < end; i++) {
      int d = Character.digit(in.getByte(i), 16);
      if (d < 0) {
        break;
      }
      if (i - from >= 15) {
        throw new IllegalArgumentException("chunk size too large");
      }
      size = size << 4 | d;
    }
    if (i == from) {
      throw new IllegalArgumentException("malformed chunk size");
    }
    chunkExtensions(in, i, end);
    return size;
  }

  /**
   * {@code *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )}, a value being a token or
   * a quoted-string (RFC 9112 7.1.1).
   */
  private static void chunkExtensions(ByteBuf in, int from, int end) {
    int i = from;
    while (i < end) {
      i = whitespace(in, i, end);
      if (i == end || in.getByte(i) != ';') {
        throw new IllegalArgumentException("malformed chunk size");
      }
      i = whitespace(in, i + 1, end);
      int name = i;
      i = token(in, i, end);
      if (i == name) {
        throw new IllegalArgumentException("malformed chunk extension");
      }
      int eq = whitespace(in, i, end);
      if (eq < end && in.getByte(eq) == '=') {
        i = whitespace(in, eq + 1, end);
        int value = i;
        i = i < end && in.getByte(i) == '"' ? quoted(in, i + 1, end) : token(in, i, end);
        if (i == value) {
          throw new IllegalArgumentException("malformed chunk extension");
        }
      }
    }
  }

  private static int whitespace(ByteBuf in, int from, int end) {
    int i = from;
    while (i < end && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int token(ByteBuf in, int from, int end) {
    int i = from;
    while (i < end && TCHAR[in.getByte(i) & 0xFF]) {
      i++;
    }
    return i;
  }

  /** A quoted-string's rest, after its opening quote: where it ends, after its closing one. */
  private static int quoted(ByteBuf in, int from, int end) {
    for (int i = from; i < end; i++) {
      int c = in.getByte(i) & 0xFF;
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        i++;
        c = i < end ? in.getByte(i) & 0xFF : 0;
      }
      if (c < 0x20 && c != '\t' || c == 0x7F) {
        throw new IllegalArgumentException("malformed chunk extension");
      }
    }
    throw new IllegalArgumentException("malformed chunk extension");
  }

  /** The trailer section after the last chunk: field lines, checked as headers are, and not kept. */
  private void trailers(ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int pos = start + scanned;
    while (true) {
      int lf = in.indexOf(pos, end, LF);
      if ((lf < 0 ? end : lf + 1) - start > maxHeaders) {
        throw new IllegalArgumentException("trailer section too large");
      }
      if (lf < 0) {
        scanned = pos - start;
        return;
      }
      if (lf == pos || in.getByte(lf - 1) != CR) {
        throw new IllegalArgumentException("a trailer line not ended by CRLF");
      }
      addLine(lf - start);
      if (lf - 1 == pos) {
        int length = lf + 1 - start;
        byte[] b = SCRATCH.get();
        in.getBytes(start, b, 0, length);
        try {
          headers(b, lineEnds, 0, lines - 1, null);
        } finally {
          Arrays.fill(b, 0, length, (byte) 0);
        }
        in.skipBytes(length);
        scanned = 0;
        lines = 0;
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        state = State.HEAD;
        return;
      }
      pos = lf + 1;
    }
  }

  private void bodyFailed(List<Object> out, Exception cause) {
    LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
    failed.setDecoderResult(DecoderResult.failure(cause));
    out.add(failed);
    state = State.BAD;
  }
}
