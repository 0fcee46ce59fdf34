import io.netty.buffer.*;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.*;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.*;

public class Dec {
  public static void main(String[] a) throws Exception {
    boolean validate = Boolean.parseBoolean(a[0]);
    String jwt = Files.readString(Path.of("/work/main/bench/.work/keys-20000/writer.jwt")).trim();
    byte[] body = Files.readAllBytes(Path.of("/tmp/sc/work/payloads/small.pb"));
    String head = "POST /projects/shop/v1/traces HTTP/1.1\r\nHost: 127.0.0.1:18483\r\nAuthorization: Bearer " + jwt
        + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    HttpDecoderConfig cfg = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192).setInitialBufferSize(128)
        .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(validate));
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
      System.out.printf("validate=%s %.1f ns/request%n", validate, (System.nanoTime() - t0) / (double) n);
    }
    System.out.println(sink);
  }
}
