package dev.tollgate.proxy.ingest.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Zipkin JSON batches: what is read as each span's service, and what is refused as two-way. */
class ZipkinBatchTest {
  static ZipkinBatch json(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ZipkinBatch.read(SpanFormat.JSON, b, b.length);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[{\"localEndpoint\":{\"serviceName\":\"CheckOut\"}}]|checkout",
      "[{\"localEndpoint\":{\"serviceName\":\"check\\u006fut\"}}]|checkout",
      "[{\"localEndpoint\":{\"serviceName\":null}}]|",
      "[{\"localEndpoint\":null,\"remoteEndpoint\":{\"serviceName\":\"x\"}}]|",
      "[{\"localEndpoint\":{\"serviceName\":\"\"}}]|",
      "[{\"name\":\"op\",\"tags\":{\"a\":\"b\",\"a\":\"c\"},\"localEndpoint\":{\"serviceName\":\"cart\"}}]|cart",
  })
  void serviceAsZipkinReadsIt(String body, String service) {
    assertThat(json(body).serviceName(0)).isEqualTo(service);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[{\"localEndpoint\":{\"serviceName\":\"a\"},\"localEndpoint\":{\"serviceName\":\"b\"}}]",
      "[{\"localEndpoint\":{\"serviceName\":\"a\"},\"localEndpoint\":null}]",
      "[{\"localEndpoint\":{\"serviceName\":\"a\",\"serviceName\":\"b\"}}]",
      "[{\"localEndpoint\":{\"serviceName\":\"a\",\"serviceName\":null}}]",
      "[{\"localEndpoint\":{\"serviceName\":123}}]",
      "[{\"localEndpoint\":\"checkout\"}]",
      "[{\"localEndpoint\":{\"serviceName\":\"pay\\ud800\"}}]",
      "{\"localEndpoint\":{\"serviceName\":\"a\"}}",
      "[{}] []",
      "[1]",
      "[{\"localEndpoint\":{\"serviceName\":\"a\"}}",
  })
  void refused(String body) {
    assertThatThrownBy(() -> json(body)).isInstanceOf(MalformedSpans.class);
  }

  @org.junit.jupiter.api.Test
  void rewriteKeepsPermittedSpansByteForByte() {
    String a = "{\"id\":\"1\", \"localEndpoint\":{\"serviceName\":\"a\"}}";
    String b = "{\"id\":\"2\",\"localEndpoint\":{\"serviceName\":\"b\"}}";
    ZipkinBatch batch = json("[ " + a + " ,\n" + b + ", " + a + "]");
    assertThat(new String(batch.rewrite(new boolean[] {true, false, true}), StandardCharsets.UTF_8))
        .isEqualTo("[" + a + "," + a + "]");
    byte[] invalid = {'[', '{', '"', 'x', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}', ']'};
    assertThatThrownBy(() -> ZipkinBatch.read(SpanFormat.JSON, invalid, invalid.length))
        .isInstanceOf(MalformedSpans.class);
  }
}
