package dev.tollgate.proxy.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tollgate.policy.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Broken and mutated protobuf: the reader either refuses with {@link MalformedPayloadException}
 * or gives the same service names as the generated parser, which merges the way the collector does.
 */
class ProtoFuzzTest {
  private static final byte[] SEED = Wire.cat(OtlpFixtures.traces().toByteArray(),
      Wire.request(Wire.cat(Wire.resource(Wire.attr("host.name", "h")), Wire.scopeSpans(2),
          Wire.resource(Wire.attr("service.name", "late")))));

  @Test
  void everyPrefixIsReadConsistentlyOrRefused() {
    for (int end = 0; end <= SEED.length; end++) {
      checkAgainstGeneratedParser(Arrays.copyOf(SEED, end));
    }
  }

  @Test
  void mutatedRequestsAreReadConsistentlyOrRefused() {
    Random random = new Random(20240607);
    for (int round = 0; round < 20_000; round++) {
      checkAgainstGeneratedParser(mutate(SEED, random));
    }
  }

  @Test
  void randomBytesAreRefusedCleanly() {
    Random random = new Random(7);
    for (int round = 0; round < 5_000; round++) {
      byte[] body = new byte[random.nextInt(64)];
      random.nextBytes(body);
      for (Signal signal : Signal.values()) {
        exercise(signal, body);
      }
    }
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] body = seed.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(body.length);
      switch (random.nextInt(4)) {
        case 0 -> body[at] = (byte) random.nextInt(256);
        case 1 -> body[at] = (byte) (body[at] ^ 1 << random.nextInt(8));
        case 2 -> body = Wire.cat(Arrays.copyOf(body, at), Arrays.copyOfRange(body, at + 1, body.length));
        default -> body = Wire.cat(Arrays.copyOf(body, at), new byte[] {(byte) random.nextInt(256)},
            Arrays.copyOfRange(body, at, body.length));
      }
    }
    return body;
  }

  /** Reads, counts and rewrites; returns null when refused. */
  private static OtlpPayload exercise(Signal signal, byte[] body) {
    try {
      OtlpPayload payload = OtlpPayload.read(signal, PayloadFormat.PROTOBUF, body, 0, body.length);
      boolean[] keep = new boolean[payload.resourceCount()];
      Arrays.fill(keep, true);
      byte[] out = OtlpFixtures.rewritten(payload, keep, OtlpFixtures.PROVENANCE);
      OtlpPayload again = OtlpPayload.read(signal, PayloadFormat.PROTOBUF, out, 0, out.length);
      for (int i = 0; i < keep.length; i++) {
        assertThat(again.serviceName(i)).isEqualTo(payload.serviceName(i));
      }
      for (int i = 0; i < keep.length; i++) {
        payload.itemCount(i);
      }
      return payload;
    } catch (MalformedPayloadException refused) {
      assertThat(refused.getMessage()).doesNotContain("\n").hasSizeLessThan(200);
      return null;
    }
  }

  private static void checkAgainstGeneratedParser(byte[] body) {
    OtlpPayload payload = exercise(Signal.TRACES, body);
    ExportTraceServiceRequest collector;
    try {
      collector = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    if (payload == null) {
      return;
    }
    assertThat(payload.resourceCount()).isEqualTo(collector.getResourceSpansCount());
    for (int i = 0; i < payload.resourceCount(); i++) {
      ResourceSpans rs = collector.getResourceSpans(i);
      List<KeyValue> names = rs.getResource().getAttributesList().stream()
          .filter(a -> a.getKey().equals("service.name")).toList();
      assertThat(names).hasSizeLessThanOrEqualTo(1);
      assertThat(payload.serviceName(i))
          .isEqualTo(names.isEmpty() ? null : names.get(0).getValue().getStringValue());
      int spans = rs.getScopeSpansList().stream().mapToInt(s -> s.getSpansCount()).sum();
      assertThat(payload.itemCount(i)).isEqualTo(spans);
    }
  }
}
