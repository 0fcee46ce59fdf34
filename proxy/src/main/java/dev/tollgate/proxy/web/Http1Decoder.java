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
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.List;

/**
 * What Tollgate's two HTTP/1.1 decoders share (RFC 9112): finding a head's lines, reading its field
 * lines, and reading a body by its length, in chunks, or to the connection's close. {@link
 * RequestDecoder} reads requests on the listener; the upstream package's answer decoder reads
 * upstreams' answers. Both hand on Netty's message types (a head, then {@code HttpContent}s ending in
 * a {@code LastHttpContent}), and a refusal as a message whose {@link DecoderResult} failed, after
 * which nothing more is read.
 *
 * <p>Why not Netty's decoders: they build each header line in a scratch buffer, make the name an
 * {@code AsciiString} and the value a {@code String}, then check both again as they add them to the
 * headers, each a character at a time. Here the head's lines are found with one byte search each,
 * the head is copied once into a per-thread array and checked there (values eight bytes at a time),
 * the common header names are Netty's constants rather than new strings, and the headers are added
 * unchecked, having been checked. The copy is cleared after each head, so the thread's array keeps
 * no token between heads; the token still lives, as it did with Netty's decoder, in the header's
 * {@code String} and in the read buffer until the pool reuses it.
 *
 * <p>What is refused, anywhere in a head or trailer section: a line ended by a bare LF; a folded
 * line (obs-fold); whitespace or any other non-token byte in a field name; a control character (but
 * HTAB) or DEL in a field value; more than one Content-Length, or one that is not all digits. In a
 * chunked body: a chunk line that is not a hexadecimal size with extensions as RFC 9112 7.1.1 has
 * them, and chunk data not followed by CRLF. Netty accepts some of these (folded lines, several equal
 * lengths); another reader of the same bytes may not, and the difference is what request smuggling
 * is made of.
 */
public abstract class Http1Decoder extends ByteToMessageDecoder {
  private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, BAD }

  /** A body read in chunks ({@link #body}). */
  protected static final long CHUNKED = -1;
  /** A body read to the connection's close: an answer's without a length ({@link #body}). */
  protected static final long UNTIL_CLOSE = -2;

  /** Headers as these decoders hand them on: checked here already, so not again when added. */
  protected static final HttpHeadersFactory CHECKED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  /** The longest chunk size line, extensions included. */
  private static final int MAX_CHUNK_LINE = 1024;
  static final byte CR = '\r';
  static final byte LF = '\n';
  static final boolean[] TCHAR = new boolean[256];
  /** Header names given as Netty's constants, not made anew for each message. */
  private static final AsciiString[] KNOWN = {
      HttpHeaderNames.HOST, HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.CONTENT_TYPE,
      HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.TRANSFER_ENCODING,
      HttpHeaderNames.CONNECTION, HttpHeaderNames.USER_AGENT, HttpHeaderNames.ACCEPT,
      HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.EXPECT, AsciiString.cached("traceparent"),
      HttpHeaderNames.DATE, HttpHeaderNames.SERVER, HttpHeaderNames.RETRY_AFTER, HttpHeaderNames.KEEP_ALIVE};
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

  private final int maxLine;
  private final int maxHeaders;
  private final int maxChunk;
  private State state = State.HEAD;
  /** HEAD and TRAILERS: where the next line to look at starts, from the reader index. */
  private int scanned;
  /**
   * HEAD and TRAILERS: how far the search for that line's end has gone, from the reader index: a
   * line sent a byte at a time is searched once, not again from its start at every byte.
   */
  private int searched;
  /**
   * HEAD and TRAILERS: where each line found so far ends (its LF), from the reader index; in a head,
   * the first is the start line's. Kept so the lines are searched for once, with Netty's byte
   * search, and not again a byte at a time.
   */
  private int[] lineEnds = new int[16];
  private int lines;
  /** FIXED and CHUNK_DATA: the bytes of the body, or of the chunk, still to come. */
  private long remaining;

  /**
   * @param maxLine the longest start line (longer: {@link TooLongHttpLineException})
   * @param maxHeaders the largest field section after it, CRLFs and the empty line included (larger:
   *     {@link TooLongHttpHeaderException}); at most {@link Http1Server#MAX_HEADERS}
   * @param maxChunk the largest piece of body handed on at once
   */
  protected Http1Decoder(int maxLine, int maxHeaders, int maxChunk) {
    if (maxLine > Http1Server.MAX_REQUEST_LINE || maxHeaders > Http1Server.MAX_HEADERS) {
      throw new IllegalArgumentException("limits above the scratch array's size");
    }
    this.maxLine = maxLine;
    this.maxHeaders = maxHeaders;
    this.maxChunk = maxChunk;
  }

  /** The message of a start line, {@code b[0, to)} ({@code to} being its CR); throws IllegalArgumentException. */
  protected abstract HttpMessage startLine(byte[] b, int to);

  /**
   * The body the message's head says follows: its length ({@code 0} for none), {@link #CHUNKED} or
   * {@link #UNTIL_CLOSE}; {@code length} is the one Content-Length, checked, or 0 when there is none.
   * Throws IllegalArgumentException for a head to refuse.
   */
  protected abstract long body(HttpMessage message, Framing framing, long length);

  /** What stands for a message whose head was refused: {@code read}, its start line, or a stand-in when null. */
  protected abstract HttpMessage refusedHead(HttpMessage read);

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
      case UNTIL_CLOSE -> {
        int n = Math.min(in.readableBytes(), maxChunk);
        if (n > 0) {
          out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        }
      }
      case BAD -> in.skipBytes(in.readableBytes());
    }
  }

  /**
   * The connection closed, as Netty's decoders take it: a body read to the close ends; a message
   * whose start line came but not the rest of its head is handed on as refused; a body cut short is
   * left as it is, for the handler's own close to end.
   */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    super.decodeLast(ctx, in, out);
    if (state == State.HEAD && lines > 0) {
      refused(out, refusedHead(startLine(in, in.readerIndex(), in.readerIndex() + lineEnds[0] - 1)),
          new PrematureChannelClosureException("connection closed before the head ended"));
    } else if (state == State.UNTIL_CLOSE) {
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
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
        int lf = in.indexOf(Math.max(pos, start + searched), end, LF);
        if (lf < 0) {
          int partial = end - pos;
          if (partial > 0 && in.getByte(end - 1) == CR) {
            partial--; // the line's own CR, perhaps
          }
          checkLimits(end - start, partial);
          scanned = pos - start;
          searched = end - start;
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
      refused(out, refusedHead(lines > 0 ? startLine(in, start, start + lineEnds[0] - 1) : null), e);
      in.skipBytes(in.readableBytes());
    }
  }

  /** A head or trailer section is read: its lines are forgotten, and a large array of them let go. */
  private void forgetLines() {
    lines = 0;
    scanned = 0;
    searched = 0;
    if (lineEnds.length > 64) {
      lineEnds = new int[16];
    }
  }

  private void addLine(int lf) {
    if (lines == lineEnds.length) {
      lineEnds = Arrays.copyOf(lineEnds, 2 * lines);
    }
    lineEnds[lines++] = lf;
  }

  /**
   * RFC 9112 2.2: empty lines before a start line are ignored (a client may send a CRLF after a
   * body); returns where the message starts.
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

  /** The start line, then the field section, must stay within their limits, read so far or whole. */
  private void checkLimits(int headSoFar, int lineSoFar) {
    if (lines == 0) {
      if (lineSoFar > maxLine) {
        throw new TooLongHttpLineException("start line longer than " + maxLine + " bytes");
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
    HttpMessage message = null;
    try {
      message = startLine(b, lineEnds[0] - 1);
      // the field lines: all but the start line and the empty line that ends the head
      Framing framing = fields(b, lineEnds, 1, lines - 1, message.headers());
      forgetLines();
      long declared = framing.length();
      if (framing.lengths() > 0 && framing.contentLength().length() > 1 && framing.contentLength().charAt(0) == '0') {
        // leading zeros: handed on as the number, as Netty's decoders do, so no reader sees "010"
        message.headers().set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(declared));
      }
      long length0 = body(message, framing, declared);
      out.add(message);
      if (length0 == CHUNKED) {
        state = State.CHUNK_SIZE;
      } else if (length0 == UNTIL_CLOSE) {
        state = State.UNTIL_CLOSE;
      } else if (length0 == 0) {
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      } else {
        remaining = length0;
        state = State.FIXED;
      }
    } catch (IllegalArgumentException e) {
      refused(out, refusedHead(message), e);
      in.skipBytes(in.readableBytes());
    } finally {
      Arrays.fill(b, 0, length, (byte) 0);
    }
  }

  /** The start line from {@code from} to {@code to} (its CR) in a buffer, or null when it is malformed. */
  private HttpMessage startLine(ByteBuf in, int from, int to) {
    byte[] b = new byte[to - from];
    in.getBytes(from, b);
    try {
      return startLine(b, b.length);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether a Transfer-Encoding list ends in {@code chunked} (RFC 9112 6.3), in any case. */
  protected static boolean endsInChunked(String codings) {
    return codings.substring(codings.lastIndexOf(',') + 1).trim().equalsIgnoreCase("chunked");
  }

  /** {@code HTTP/d.d} (RFC 9112 2.3), the eight bytes at {@code from}. */
  protected static HttpVersion version(byte[] b, int from) {
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

  protected static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** What a head's fields say about its body: the Content-Length and Transfer-Encoding fields, and how many of each. */
  protected record Framing(String contentLength, int lengths, String transferEncoding, int codings) {
    /** The one Content-Length, all digits (RFC 9110 8.6); 0 when there is none. */
    public long length() {
      if (lengths == 0) {
        return 0;
      }
      String v = contentLength;
      if (lengths > 1 || v.isEmpty() || v.length() > 18) {
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
  }

  /**
   * The field lines {@code first} to {@code last} (exclusive), each ending at its {@code ends[k]}
   * (an LF after a CR, as found), the line before it ending where it starts: each {@code token ":"
   * OWS field-value OWS CRLF} (RFC 9112 5), added to {@code headers} when given.
   */
  private static Framing fields(byte[] b, int[] ends, int first, int last, HttpHeaders headers) {
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
  protected static String latin1(byte[] b, int from, int n) {
    return new String(b, 0, from, n);
  }

  private void refused(List<Object> out, HttpMessage message, Exception cause) {
    message.setDecoderResult(DecoderResult.failure(cause));
    out.add(message);
    state = State.BAD;
    forgetLines();
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
          forgetLines();
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
      int lf = in.indexOf(Math.max(pos, start + searched), end, LF);
      if ((lf < 0 ? end : lf + 1) - start > maxHeaders) {
        throw new IllegalArgumentException("trailer section too large");
      }
      if (lf < 0) {
        scanned = pos - start;
        searched = end - start;
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
          fields(b, lineEnds, 0, lines - 1, null);
        } finally {
          Arrays.fill(b, 0, length, (byte) 0);
        }
        in.skipBytes(length);
        forgetLines();
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
