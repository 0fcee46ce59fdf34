package dev.tollgate.proxy.web;
import io.netty.buffer.*;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.*;

/** ns per encoded ingest answer (200, x-request-id, content-type, content-length, empty body): Netty's HttpResponseEncoder ("netty") against ResponseEncoding ("ours"). */
public class Dec7 {
  public static void main(String[] a) throws Exception {
    Thread t = new io.netty.util.concurrent.FastThreadLocalThread(() -> { try { run(a[0]); } catch (Exception e) { throw new RuntimeException(e); } });
    t.start(); t.join();
  }
  static HttpHeaders headers() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("x-request-id", "01JDZ8Q7W3N5V4K2M6P8R0T2Y4");
    h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf");
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return h;
  }
  static void run(String mode) throws Exception {
    EmbeddedChannel ch = mode.equals("ours") ? new EmbeddedChannel() : new EmbeddedChannel(new HttpResponseEncoder());
    long sink = 0;
    StringBuilder out = new StringBuilder(mode);
    for (int round = 0; round < 8; round++) {
      int n = 1_000_000; long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        HttpHeaders h = headers();
        if (mode.equals("ours")) {
          ByteBuf b = ResponseEncoding.encode(ch.alloc(), HttpVersion.HTTP_1_1, HttpResponseStatus.OK, h, Unpooled.EMPTY_BUFFER);
          ch.writeOutbound(b);
        } else {
          ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, h, EmptyHttpHeaders.INSTANCE));
        }
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) { sink += b.readableBytes(); b.release(); }
      }
      if (round >= 5) out.append(String.format(" %.1f", (System.nanoTime() - t0) / (double) n));
    }
    System.out.println(out + " ns/answer (" + sink + ")");
  }
}
