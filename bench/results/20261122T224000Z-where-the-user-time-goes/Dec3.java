import io.netty.buffer.*;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.*;
import io.netty.util.ReferenceCountUtil;
import java.lang.invoke.*;
import java.nio.ByteOrder;
import java.nio.file.*;

public class Dec3 {
  static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);
  static final DefaultHeaders.ValueValidator<CharSequence> NETTY = DefaultHttpHeadersFactory.headersFactory().getValueValidator();
  static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;
  static boolean clean(byte[] b, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long x = (long) LONGS.get(b, i);
      long ctl = (x - 0x2020202020202020L) & ~x & HIGHS;   // a byte below 0x20 (bytes >= 0x80 excluded by ~x)
      long y = x ^ 0x7F7F7F7F7F7F7F7FL;
      long del = (y - ONES) & ~y & HIGHS;                   // a byte equal to 0x7F
      if ((ctl | del) != 0) return false;
    }
    for (; i < n; i++) { int c = b[i] & 0xFF; if (c < 0x20 || c == 0x7F) return false; }
    return true;
  }
  static final DefaultHeaders.ValueValidator<CharSequence> FAST = v -> {
    if (v instanceof String s && s.length() >= 64 && s.length() <= 8192) {
      byte[] b = SCRATCH.get();
      s.getBytes(0, s.length(), b, 0);
      if (clean(b, s.length())) return;
    }
    NETTY.validate(v);
  };
  public static void main(String[] a) throws Exception {
    String mode = a[0];
    String jwt = Files.readString(Path.of("/work/main/bench/.work/keys-20000/writer.jwt")).trim();
    byte[] body = Files.readAllBytes(Path.of("/tmp/sc/work/payloads/small.pb"));
    String head = "POST /projects/shop/v1/traces HTTP/1.1\r\nHost: 127.0.0.1:18483\r\nAuthorization: Bearer " + jwt
        + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    HttpDecoderConfig cfg = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192).setInitialBufferSize(128);
    if (mode.equals("fast")) cfg.setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValueValidator(FAST));
    if (mode.equals("off")) cfg.setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValueValidation(false));
    EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(cfg));
    ByteBuf src = Unpooled.directBuffer(h.length + body.length).writeBytes(h).writeBytes(body);
    long sink = 0;
    for (int round = 0; round < 8; round++) {
      int n = 500_000; long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ch.writeInbound(src.retainedDuplicate());
        Object m;
        while ((m = ch.readInbound()) != null) { if (m instanceof HttpRequest r) sink += r.headers().size(); ReferenceCountUtil.release(m); }
      }
      if (round >= 5) System.out.printf("%s %.1f ns/request%n", mode, (System.nanoTime() - t0) / (double) n);
    }
    System.out.println(sink);
  }
}
