package dev.tollgate.proxy.web;
import io.netty.buffer.*;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.*;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.*;

/** ns per decoded bench request: Netty's decoder as the listener had it ("netty") against RequestDecoder ("ours"). */
public class Dec5 {
  public static void main(String[] a) throws Exception {
    Thread t = new io.netty.util.concurrent.FastThreadLocalThread(() -> { try { run(a[0]); } catch (Exception e) { throw new RuntimeException(e); } });
    t.start(); t.join();
  }
  static void run(String mode) throws Exception {
    String jwt = Files.readString(Path.of("/work/main/bench/.work/keys-20000/writer.jwt")).trim();
    byte[] body = Files.readAllBytes(Path.of("/tmp/sc/work/payloads/small.pb"));
    String head = "POST /projects/shop/v1/traces HTTP/1.1\r\nHost: 127.0.0.1:18483\r\nAuthorization: Bearer " + jwt
        + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    HttpDecoderConfig cfg = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192).setInitialBufferSize(128);
    EmbeddedChannel ch = new EmbeddedChannel(mode.equals("ours") ? new RequestDecoder() : new HttpRequestDecoder(cfg));
    ByteBuf src = Unpooled.directBuffer(h.length + body.length).writeBytes(h).writeBytes(body);
    long sink = 0;
    StringBuilder out = new StringBuilder(mode);
    for (int round = 0; round < 8; round++) {
      int n = 500_000; long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ch.writeInbound(src.retainedDuplicate());
        Object m;
        while ((m = ch.readInbound()) != null) { if (m instanceof HttpRequest r) sink += r.headers().size(); ReferenceCountUtil.release(m); }
      }
      if (round >= 5) out.append(String.format(" %.1f", (System.nanoTime() - t0) / (double) n));
    }
    System.out.println(out + " ns/request (" + sink + ")");
  }
}
