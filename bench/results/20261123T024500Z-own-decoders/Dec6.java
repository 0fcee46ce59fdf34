package dev.tollgate.proxy.upstream;
import io.netty.buffer.*;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.*;
import io.netty.util.ReferenceCountUtil;

/** ns per decoded sink answer: Netty's response decoder ("netty", default config) against AnswerDecoder ("ours"). */
public class Dec6 {
  public static void main(String[] a) throws Exception {
    Thread t = new io.netty.util.concurrent.FastThreadLocalThread(() -> { try { run(a[0]); } catch (Exception e) { throw new RuntimeException(e); } });
    t.start(); t.join();
  }
  static void run(String mode) throws Exception {
    byte[] h = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 23 Nov 2026 03:04:39 GMT\r\n"
        + "Content-Type: application/x-protobuf\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    EmbeddedChannel ch = new EmbeddedChannel(mode.equals("ours") ? new AnswerDecoder() : new HttpResponseDecoder());
    ByteBuf src = Unpooled.directBuffer(h.length).writeBytes(h);
    long sink = 0;
    StringBuilder out = new StringBuilder(mode);
    for (int round = 0; round < 8; round++) {
      int n = 500_000; long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ch.writeInbound(src.retainedDuplicate());
        Object m;
        while ((m = ch.readInbound()) != null) { if (m instanceof HttpResponse r) sink += r.headers().size(); ReferenceCountUtil.release(m); }
      }
      if (round >= 5) out.append(String.format(" %.1f", (System.nanoTime() - t0) / (double) n));
    }
    System.out.println(out + " ns/answer (" + sink + ")");
  }
}
