package dev.tollgate.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.proxy.Otlp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentCodingTest {

  /** A sink like BodyReader's, without a memory budget. */
  static final class Out extends ContentCoding.Sink {
    Out(int limit) {
      super(limit);
    }

    @Override
    boolean grow(int capacity) {
      bytes = Arrays.copyOf(bytes, Math.min(limit, capacity));
      return true;
    }

    byte[] result() {
      return Arrays.copyOf(bytes, length);
    }
  }

  static byte[] zlib(byte[] data) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(bos)) {
      z.write(data);
    }
    return bos.toByteArray();
  }

  static byte[] data(int n, boolean compressible) {
    byte[] b = new byte[n];
    Random r = new Random(n);
    for (int i = 0; i < n; i++) {
      b[i] = compressible ? (byte) ("span-" + (i % 97)).charAt(i % 5) : (byte) r.nextInt();
    }
    return b;
  }

  static byte[] decode(ContentCoding c, byte[] in, int limit) throws ContentCoding.Malformed {
    Out out = new Out(limit);
    assertThat(c.decode(in, in.length, out)).as("fits in %d bytes", limit).isTrue();
    return out.result();
  }

  @Test
  void namesTheCodingsItReads() {
    assertThat(ContentCoding.of(null)).isEqualTo(ContentCoding.IDENTITY);
    assertThat(ContentCoding.of("identity")).isEqualTo(ContentCoding.IDENTITY);
    assertThat(ContentCoding.of(" GZip ")).isEqualTo(ContentCoding.GZIP);
    assertThat(ContentCoding.of("x-gzip")).isEqualTo(ContentCoding.GZIP);
    assertThat(ContentCoding.of("deflate")).isEqualTo(ContentCoding.DEFLATE);
    assertThat(ContentCoding.of("x-deflate")).isEqualTo(ContentCoding.DEFLATE);
    assertThat(ContentCoding.of("br")).isNull();
    assertThat(ContentCoding.of("zstd")).isNull();
    assertThat(ContentCoding.of("gzip, gzip")).as("stacked codings are not read").isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2721, 65_536, 1_150_160})
  void gzipRoundTrips(int size) throws Exception {
    for (boolean compressible : new boolean[] {true, false}) {
      byte[] plain = data(size, compressible);
      assertThat(decode(ContentCoding.GZIP, Otlp.gzip(plain), 4 << 20)).isEqualTo(plain);
      assertThat(decode(ContentCoding.DEFLATE, zlib(plain), 4 << 20)).isEqualTo(plain);
    }
  }

  @Test
  void gzipMembersAreConcatenated() throws Exception {
    byte[] a = "first member, ".getBytes(StandardCharsets.UTF_8);
    byte[] b = "second member".getBytes(StandardCharsets.UTF_8);
    byte[] both = concat(Otlp.gzip(a), Otlp.gzip(b));
    assertThat(new String(decode(ContentCoding.GZIP, both, 1024), StandardCharsets.UTF_8))
        .isEqualTo("first member, second member");
  }

  @Test
  void optionalGzipHeaderFieldsAreSkipped() throws Exception {
    byte[] plain = data(5000, true);
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    // FHCRC | FEXTRA | FNAME | FCOMMENT
    h.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    h.write(new byte[] {3, 0, 'a', 'b', 'c'});
    h.write("spans.pb\0".getBytes(StandardCharsets.ISO_8859_1));
    h.write("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    h.write(new byte[] {0x12, 0x34});
    byte[] body = concat(h.toByteArray(), rawDeflate(plain), trailer(plain));
    assertThat(decode(ContentCoding.GZIP, body, 1 << 20)).isEqualTo(plain);
  }

  @Test
  void brokenGzipIsMalformed() throws Exception {
    byte[] good = Otlp.gzip(data(4000, true));
    byte[] badCrc = good.clone();
    badCrc[badCrc.length - 8] ^= 1;
    byte[] badLength = good.clone();
    badLength[badLength.length - 1] ^= 1;
    byte[] reserved = good.clone();
    reserved[3] = (byte) 0x20;
    byte[] notGzip = "{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_8);
    for (byte[] bad : new byte[][] {badCrc, badLength, reserved, notGzip,
        Arrays.copyOf(good, good.length - 3), Arrays.copyOf(good, good.length / 2), Arrays.copyOf(good, 5),
        concat(good, "trailing".getBytes(StandardCharsets.UTF_8))}) {
      assertThatThrownBy(() -> ContentCoding.GZIP.decode(bad, bad.length, new Out(1 << 20)))
          .isInstanceOf(ContentCoding.Malformed.class).hasMessageContaining("malformed");
    }
    // The pooled inflater is reset after a failure: the next body decodes.
    byte[] plain = data(3000, false);
    assertThat(decode(ContentCoding.GZIP, Otlp.gzip(plain), 1 << 20)).isEqualTo(plain);
  }

  @Test
  void deflateIsReadWithOrWithoutItsZlibWrapperAndAnEmptyBodyStaysEmpty() throws Exception {
    byte[] plain = data(4000, true);
    assertThat(decode(ContentCoding.DEFLATE, rawDeflate(plain), 1 << 20)).isEqualTo(plain);
    assertThat(decode(ContentCoding.DEFLATE, zlib(plain), 1 << 20)).isEqualTo(plain);
    assertThat(decode(ContentCoding.GZIP, new byte[0], 1 << 20)).isEmpty();
    assertThat(decode(ContentCoding.DEFLATE, new byte[0], 1 << 20)).isEmpty();
  }

  @Test
  void aStreamTruncatedExactlyAtTheLimitIsMalformedNotTooLarge() throws Exception {
    byte[] plain = data(10_000, false);
    byte[] z = zlib(plain);
    // all of the data but not the end of the stream: at the limit, the probe finds no more input
    byte[] cut = Arrays.copyOf(z, z.length - 4);
    java.util.zip.Inflater check = new java.util.zip.Inflater();
    check.setInput(cut);
    int produced = check.inflate(new byte[20_000]);
    check.end();
    assertThatThrownBy(() -> ContentCoding.DEFLATE.decode(cut, cut.length, new Out(produced)))
        .isInstanceOf(ContentCoding.Malformed.class).hasMessageContaining("truncated");
  }

  @Test
  void brokenDeflateIsMalformed() throws Exception {
    byte[] plain = data(4000, true);
    byte[] good = zlib(plain);
    byte[] badAdler = good.clone();
    badAdler[badAdler.length - 1] ^= 1;
    for (byte[] bad : new byte[][] {badAdler, Arrays.copyOf(good, good.length - 6),
        concat(good, new byte[] {1, 2, 3}), "not compressed at all".getBytes(StandardCharsets.UTF_8)}) {
      assertThatThrownBy(() -> ContentCoding.DEFLATE.decode(bad, bad.length, new Out(1 << 20)))
          .isInstanceOf(ContentCoding.Malformed.class);
    }
  }

  @Test
  void aBombStopsAtTheLimitNotAfterInflating() throws Exception {
    byte[] bomb = Otlp.gzip(new byte[64 << 20]);
    assertThat(bomb.length).isLessThan(128 * 1024);
    Out out = new Out(1 << 20);
    assertThat(ContentCoding.GZIP.decode(bomb, bomb.length, out)).isFalse();
    assertThat(out.length).isEqualTo(1 << 20);
    assertThat(out.bytes.length).as("never grew past the limit").isEqualTo(1 << 20);
  }

  @Test
  void aBodyOfExactlyTheLimitFitsAndOneByteMoreDoesNot() throws Exception {
    byte[] plain = data(10_000, false);
    assertThat(decode(ContentCoding.GZIP, Otlp.gzip(plain), 10_000)).isEqualTo(plain);
    assertThat(decode(ContentCoding.DEFLATE, zlib(plain), 10_000)).isEqualTo(plain);
    byte[] gz = Otlp.gzip(plain);
    assertThat(ContentCoding.GZIP.decode(gz, gz.length, new Out(9_999))).isFalse();
  }

  private static byte[] rawDeflate(byte[] plain) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(bos, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
      d.write(plain);
    }
    return bos.toByteArray();
  }

  private static byte[] trailer(byte[] plain) {
    CRC32 crc = new CRC32();
    crc.update(plain);
    long c = crc.getValue();
    int n = plain.length;
    return new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
        (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)};
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      bos.writeBytes(p);
    }
    return bos.toByteArray();
  }
}
