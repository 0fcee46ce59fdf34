package dev.tollgate.proxy.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tollgate.policy.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Broken and mutated OTLP/JSON: the reader either refuses with {@link MalformedPayloadException}
 * or sees the same service names as protobuf's own JSON parser.
 */
class JsonFuzzTest {
  private static final byte[] ALPHABET = "{}[]\":,\\ _0aeAsnuvkl.\u00c3".getBytes(UTF_8);
  private static final byte[] SEED = seed();

  private static byte[] seed() {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(OtlpFixtures.traces())
          .getBytes(UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everyPrefixIsReadConsistentlyOrRefused() {
    for (int end = 0; end <= SEED.length; end++) {
      check(Arrays.copyOf(SEED, end));
    }
  }

  @Test
  void mutatedRequestsAreReadConsistentlyOrRefused() {
    Random random = new Random(42);
    for (int round = 0; round < 10_000; round++) {
      byte[] body = SEED.clone();
      for (int e = 1 + random.nextInt(2); e > 0; e--) {
        int at = random.nextInt(body.length);
        byte b = random.nextInt(8) == 0 ? (byte) random.nextInt(256)
            : ALPHABET[random.nextInt(ALPHABET.length)];
        body = random.nextBoolean() ? replace(body, at, b)
            : Wire.cat(Arrays.copyOf(body, at), new byte[] {b}, Arrays.copyOfRange(body, at, body.length));
      }
      check(body);
    }
  }

  private static byte[] replace(byte[] body, int at, byte b) {
    body[at] = b;
    return body;
  }

  private static void check(byte[] body) {
    OtlpPayload payload;
    try {
      payload = OtlpPayload.read(Signal.TRACES, PayloadFormat.JSON, body, 0, body.length);
      boolean[] keep = new boolean[payload.resourceCount()];
      Arrays.fill(keep, true);
      byte[] out = OtlpFixtures.rewritten(payload, keep, OtlpFixtures.PROVENANCE);
      OtlpPayload again = OtlpPayload.read(Signal.TRACES, PayloadFormat.JSON, out, 0, out.length);
      assertThat(ProtoPayloadTest.names(again)).isEqualTo(ProtoPayloadTest.names(payload));
    } catch (MalformedPayloadException refused) {
      assertThat(refused.getMessage()).doesNotContain("\n").hasSizeLessThan(200);
      return;
    }
    ExportTraceServiceRequest.Builder collector = ExportTraceServiceRequest.newBuilder();
    try {
      JsonFormat.parser().merge(new String(body, UTF_8), collector);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return;
    }
    assertThat(payload.resourceCount()).isEqualTo(collector.getResourceSpansCount());
    for (int i = 0; i < payload.resourceCount(); i++) {
      List<KeyValue> names = collector.getResourceSpans(i).getResource().getAttributesList()
          .stream().filter(a -> a.getKey().equals("service.name")).toList();
      assertThat(names).hasSizeLessThanOrEqualTo(1);
      assertThat(payload.serviceName(i))
          .isEqualTo(names.isEmpty() ? null : names.get(0).getValue().getStringValue());
      assertThat(payload.itemCount(i)).isEqualTo(collector.getResourceSpans(i)
          .getScopeSpansList().stream().mapToInt(s -> s.getSpansCount()).sum());
    }
  }
}
