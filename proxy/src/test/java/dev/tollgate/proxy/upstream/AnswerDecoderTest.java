package dev.tollgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upstream answer decoder reads answers as Netty's response decoder does (status, fields, body
 * and where the next answer starts), and refuses what is malformed.
 */
class AnswerDecoderTest {
  private static final int[] CODES = {100, 103, 200, 201, 202, 204, 206, 301, 304, 400, 404, 413, 429, 500, 503};

  @Test
  void randomAnswersAreReadAsNettyReadsThem() {
    Random random = new Random(1123);
    for (int round = 0; round < 3000; round++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int answers = 1 + random.nextInt(3);
      for (int k = 0; k < answers; k++) {
        bytes.writeBytes(answer(random, k == answers - 1));
      }
      byte[] all = bytes.toByteArray();
      List<String> netty = read(new HttpResponseDecoder(), all, all.length);
      List<String> ours = read(new AnswerDecoder(), all, 1 + random.nextInt(random.nextBoolean() ? 64 : all.length));
      assertThat(netty).as("Netty on %s", show(all)).noneMatch(a -> a.startsWith("refused"));
      assertThat(ours).as("on %s", show(all)).isEqualTo(netty);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n X: folded\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX: a\u0001b\r\nContent-Length: 0\r\n\r\n",
      "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 99 Low\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 600 High\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 O\u0000K\r\nContent-Length: 0\r\n\r\n",
      "garbage\r\n\r\n"})
  void malformedAnswersAreRefused(String answer) {
    List<String> read = read(new AnswerDecoder(), answer.getBytes(StandardCharsets.ISO_8859_1), 3);
    assertThat(read).as(answer).last().asString().startsWith("refused");
  }

  @Test
  void aStatusLineWithoutAReasonIsRead() {
    assertThat(read(new AnswerDecoder(), "HTTP/1.1 204\r\n\r\nHTTP/1.0 200 \r\nContent-Length: 2\r\n\r\nok"
        .getBytes(StandardCharsets.ISO_8859_1), 5)).containsExactly("HTTP/1.1 204 [] body=", "HTTP/1.0 200 [content-length=2] body=ok");
  }

  @Test
  void aLengthWithChunkedIsReadChunkedAndMarkedInDoubt() {
    AnswerDecoder decoder = new AnswerDecoder();
    decoder.expectAnswer();
    List<String> read = read(decoder, ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nabcde\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), 4);
    // the length is dropped, as Netty drops it: nothing downstream sizes or bounds the answer by it
    assertThat(read).containsExactly("HTTP/1.1 200 [transfer-encoding=chunked] body=abcde");
    assertThat(decoder.framingInDoubt()).isTrue();
    // a length with leading zeros, which is otherwise handed on as its number, is dropped too
    assertThat(read(new AnswerDecoder(), ("HTTP/1.1 200 OK\r\nContent-Length: 010\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "2\r\nab\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), 4))
        .containsExactly("HTTP/1.1 200 [transfer-encoding=chunked] body=ab");
  }

  @Test
  void anotherCodingIsReadToTheClose() {
    assertThat(read(new AnswerDecoder(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc0\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1), 4)).containsExactly("HTTP/1.1 200 [transfer-encoding=gzip] body=abc0\r\n\r\n");
  }

  @Test
  void bytesAfterTheAnswerAreNoted() {
    AnswerDecoder decoder = new AnswerDecoder();
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    decoder.expectAnswer();
    ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", StandardCharsets.ISO_8859_1));
    decoder.answered();
    assertThat(decoder.clean()).isTrue();
    ch.writeInbound(Unpooled.copiedBuffer("\r\n", StandardCharsets.ISO_8859_1));
    assertThat(decoder.clean()).as("read, though nothing is held").isFalse();
    decoder.expectAnswer();
    assertThat(decoder.clean()).isTrue();
    ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", StandardCharsets.ISO_8859_1));
    decoder.answered();
    ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 2", StandardCharsets.ISO_8859_1));
    assertThat(decoder.clean()).as("part of an answer nobody asked for").isFalse();
    ch.finishAndReleaseAll();
  }

  // ---- answers, and reading them

  private static byte[] answer(Random r, boolean last) {
    StringBuilder head = new StringBuilder();
    int code = CODES[r.nextInt(CODES.length)];
    head.append(r.nextInt(6) == 0 ? "HTTP/1.0 " : "HTTP/1.1 ").append(code).append(' ')
        .append(r.nextBoolean() ? "Reason Phrase" : "OK").append("\r\n");
    int fields = r.nextInt(5);
    for (int k = 0; k < fields; k++) {
      head.append(pick(r, "Content-Type", "content-type", "Date", "Server", "Retry-After", "X-Trace", "vary"))
          .append(':').append(pick(r, "", " ", "\t")).append("v").append(r.nextInt(1000)).append(pick(r, "", " "))
          .append("\r\n");
    }
    byte[] body = new byte[code < 200 || code == 204 || code == 304 || r.nextInt(4) == 0 ? 0 : r.nextInt(20000)];
    r.nextBytes(body);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int framing = code < 200 || code == 204 || code == 304 ? 0 : r.nextInt(last ? 3 : 2);
    if (framing == 1) {
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      for (int at = 0; at < body.length; ) {
        int n = Math.min(body.length - at, 1 + r.nextInt(5000));
        out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, at, n);
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        at += n;
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    } else {
      if (framing == 0) {
        head.append("Content-Length: ").append(code < 200 || code == 204 ? 0 : body.length).append("\r\n");
      }
      head.append("\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }

  /** Each answer as "version code [name=value, ...] body=...", or "refused ..." where reading stopped; the input then closes. */
  private static List<String> read(ByteToMessageDecoder decoder, byte[] bytes, int piece) {
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    for (int at = 0; at < bytes.length; at += piece) {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(piece, bytes.length - at)));
    }
    ch.finish();
    List<String> answers = new ArrayList<>();
    String current = null;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Object m;
    while ((m = ch.readInbound()) != null) {
      try {
        if (m instanceof HttpResponse h) {
          if (h.decoderResult().isFailure()) {
            answers.add("refused " + h.decoderResult().cause().getClass().getSimpleName());
            continue;
          }
          current = h.protocolVersion() + " " + h.status().code() + " " + h.headers().entries().stream()
              .map(e -> e.getKey().toLowerCase(Locale.ROOT) + "=" + e.getValue()).collect(Collectors.toList());
          body.reset();
        }
        if (m instanceof HttpContent c) {
          if (c.decoderResult().isFailure()) {
            answers.add("refused body " + c.decoderResult().cause().getClass().getSimpleName());
            continue;
          }
          ByteBuf content = c.content();
          byte[] part = new byte[content.readableBytes()];
          content.getBytes(content.readerIndex(), part);
          body.writeBytes(part);
          if (c instanceof LastHttpContent && current != null) {
            answers.add(current + " body=" + body.toString(StandardCharsets.ISO_8859_1));
            current = null;
          }
        }
      } finally {
        ReferenceCountUtil.release(m);
      }
    }
    ch.finishAndReleaseAll();
    return answers;
  }

  private static String show(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
