package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An answer's bytes are the bytes Netty's response encoder writes for it, and the body's reference is let go. */
class ResponseEncodingTest {
  private static final int[] CODES = {100, 200, 201, 204, 205, 206, 304, 400, 401, 403, 404, 413, 429, 500, 502,
      503, 504, 299, 599};

  @Test
  void randomAnswersAreWrittenAsNettyWritesThem() {
    Random random = new Random(11);
    for (int round = 0; round < 5000; round++) {
      HttpVersion version = random.nextInt(5) == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
      HttpResponseStatus status = HttpResponseStatus.valueOf(CODES[random.nextInt(CODES.length)]);
      byte[] body = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(3 * ResponseEncoding.COPY_BODY_UP_TO)];
      random.nextBytes(body);
      HttpHeaders ours = headers(new Random(round), body.length);
      HttpHeaders theirs = headers(new Random(round), body.length);

      ByteBuf ourBody = Unpooled.wrappedBuffer(body.clone());
      ByteBuf encoded = ResponseEncoding.encode(ByteBufAllocator.DEFAULT, version, status, ours, ourBody);
      byte[] got = bytes(encoded);
      assertThat(encoded.release()).isTrue();
      if (body.length > 0) { // an empty one is Netty's shared EMPTY_BUFFER, never freed
        assertThat(ourBody.refCnt()).as("the body is let go").isZero();
      }

      EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
      ch.writeOutbound(new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body.clone()), theirs,
          EmptyHttpHeaders.INSTANCE));
      ByteArrayOutputStream netty = new ByteArrayOutputStream();
      ByteBuf b;
      while ((b = ch.readOutbound()) != null) {
        netty.writeBytes(bytes(b));
        b.release();
      }
      ch.finishAndReleaseAll();
      assertThat(got).as("status %s, body %d, headers %s", status, body.length, theirs).isEqualTo(netty.toByteArray());
      assertThat(ours).as("the same fields dropped or set").isEqualTo(theirs);
    }
  }

  @Test
  void continueIsWhatNettyWritesForIt() {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
    ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    ByteArrayOutputStream netty = new ByteArrayOutputStream();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      netty.writeBytes(bytes(b));
      b.release();
    }
    assertThat(bytes(ResponseEncoding.continue11())).isEqualTo(netty.toByteArray());
  }

  /** Fields as Tollgate's answers have them: constant names, strings, a Latin-1 and a wide character. */
  private static HttpHeaders headers(Random r, int length) {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("x-request-id", "req-" + r.nextInt(1_000_000));
    if (r.nextBoolean()) {
      h.set(AsciiString.cached("content-type"), r.nextBoolean() ? "application/json" : "application/x-protobuf");
    }
    if (r.nextInt(4) == 0) {
      h.set("retry-after", String.valueOf(r.nextInt(100)));
    }
    if (r.nextInt(5) == 0) {
      h.set("x-note", "caf\u00e9 \u0141");
    }
    if (r.nextInt(4) == 0) {
      h.set("connection", r.nextBoolean() ? "close" : "keep-alive");
    }
    if (r.nextInt(10) != 0) {
      h.setInt("content-length", length);
    }
    if (r.nextInt(20) == 0) {
      h.set("transfer-encoding", "identity");
    }
    return h;
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }
}
