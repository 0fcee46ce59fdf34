package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuffersTest {
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aBufferThatFillsItsArrayExactlyLendsIt() {
    byte[] own = HELLO.clone();
    assertThat(Buffers.bytes(Buffers.wrap(own))).isSameAs(own);
    Buffer sized = Buffer.buffer(HELLO.length).appendBytes(HELLO);
    assertThat(Buffers.bytes(sized)).isSameAs(Buffers.bytes(sized)).isEqualTo(HELLO);
  }

  @Test
  void anyOtherBufferIsCopied() {
    Buffer roomy = Buffer.buffer(64).appendBytes(HELLO);
    assertThat(Buffers.bytes(roomy)).isEqualTo(HELLO).hasSize(5);
    byte[] longer = "hello world".getBytes(StandardCharsets.US_ASCII);
    assertThat(Buffers.bytes(Buffers.wrap(longer).slice(0, 5))).isEqualTo(HELLO);
    assertThat(Buffers.bytes(Buffers.wrap(longer).slice(6, 11))).isEqualTo("world".getBytes(StandardCharsets.US_ASCII));
  }
}
