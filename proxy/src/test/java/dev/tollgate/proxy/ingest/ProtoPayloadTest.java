package dev.tollgate.proxy.ingest;

import static dev.tollgate.proxy.ingest.OtlpFixtures.PROVENANCE;
import static dev.tollgate.proxy.ingest.OtlpFixtures.SERVICES;
import static dev.tollgate.proxy.ingest.OtlpFixtures.stamped;
import static dev.tollgate.proxy.ingest.Wire.attr;
import static dev.tollgate.proxy.ingest.Wire.cat;
import static dev.tollgate.proxy.ingest.Wire.len;
import static dev.tollgate.proxy.ingest.Wire.request;
import static dev.tollgate.proxy.ingest.Wire.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.policy.Signal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoPayloadTest {
  private static final boolean[] KEEP = {true, false, true, true};

  static OtlpPayload read(Signal signal, byte[] body) {
    return OtlpPayload.read(signal, PayloadFormat.PROTOBUF, body, 0, body.length);
  }

  @Test
  void tracesKeepChosenResourcesByteForByteAndStampProvenance() throws Exception {
    ExportTraceServiceRequest in = OtlpFixtures.traces();
    OtlpPayload payload = read(Signal.TRACES, in.toByteArray());

    assertThat(names(payload)).containsExactly(SERVICES);
    assertThat(counts(payload)).containsExactly(OtlpFixtures.SPANS);
    ExportTraceServiceRequest out =
        ExportTraceServiceRequest.parseFrom(OtlpFixtures.rewritten(payload, KEEP, PROVENANCE));

    assertThat(out.getResourceSpansList()).hasSize(3);
    int o = 0;
    for (int i = 0; i < KEEP.length; i++) {
      if (KEEP[i]) {
        ResourceSpans want = in.getResourceSpans(i);
        ResourceSpans got = out.getResourceSpans(o++);
        assertThat(got.getScopeSpansList()).isEqualTo(want.getScopeSpansList());
        assertThat(got.getSchemaUrl()).isEqualTo(want.getSchemaUrl());
        assertThat(got.getResource()).isEqualTo(stamped(want.getResource()));
      }
    }
  }

  @Test
  void metricsCountDataPointsOfEveryKind() throws Exception {
    ExportMetricsServiceRequest in = OtlpFixtures.metrics();
    OtlpPayload payload = read(Signal.METRICS, in.toByteArray());

    assertThat(names(payload)).containsExactly(SERVICES);
    assertThat(counts(payload)).containsExactly(OtlpFixtures.DATA_POINTS);
    ExportMetricsServiceRequest out =
        ExportMetricsServiceRequest.parseFrom(OtlpFixtures.rewritten(payload, KEEP, PROVENANCE));
    int o = 0;
    for (int i = 0; i < KEEP.length; i++) {
      if (KEEP[i]) {
        ResourceMetrics want = in.getResourceMetrics(i);
        ResourceMetrics got = out.getResourceMetrics(o++);
        assertThat(got).isEqualTo(want.toBuilder().setResource(stamped(want.getResource())).build());
      }
    }
    assertThat(o).isEqualTo(out.getResourceMetricsCount());
  }

  @Test
  void logsDropWhatIsNotKept() throws Exception {
    ExportLogsServiceRequest in = OtlpFixtures.logs();
    OtlpPayload payload = read(Signal.LOGS, in.toByteArray());

    assertThat(names(payload)).containsExactly(SERVICES);
    assertThat(counts(payload)).containsExactly(OtlpFixtures.LOG_RECORDS);
    ExportLogsServiceRequest out = ExportLogsServiceRequest.parseFrom(
        OtlpFixtures.rewritten(payload, new boolean[] {false, true, false, false}, PROVENANCE));
    ResourceLogs want = in.getResourceLogs(1);
    assertThat(out.getResourceLogsList())
        .containsExactly(want.toBuilder().setResource(stamped(want.getResource())).build());
  }

  @Test
  void provenanceAppearsOnceEvenWhenTheSenderSpoofsIt() throws Exception {
    OtlpPayload payload = read(Signal.TRACES, OtlpFixtures.traces().toByteArray());
    ExportTraceServiceRequest out = ExportTraceServiceRequest.parseFrom(
        OtlpFixtures.rewritten(payload, new boolean[] {true, true, true, true}, PROVENANCE));

    for (ResourceSpans rs : out.getResourceSpansList()) {
      List<String> keys = rs.getResource().getAttributesList().stream().map(KeyValue::getKey).toList();
      assertThat(keys.stream().filter(k -> k.startsWith("tollgate.")))
          .containsExactly("tollgate.sender", "tollgate.project");
      assertThat(rs.getResource().getAttributesList()).contains(
          OtlpFixtures.kv("tollgate.sender", "ci-bot"), OtlpFixtures.kv("tollgate.project", "shop"));
    }
  }

  @Test
  void repeatedResourceFieldsAreReadAndWrittenMerged() throws Exception {
    byte[] scope = Wire.scopeSpans(2);
    byte[] schema = len(3, "https://example.com/schema");
    byte[] body = request(cat(
        resource(attr("service.name", "checkout")), scope,
        resource(attr("host.name", "web-1"), attr("tollgate.sender", "spoofed")), schema));
    ExportTraceServiceRequest collectorView = ExportTraceServiceRequest.parseFrom(body);
    OtlpPayload payload = read(Signal.TRACES, body);

    assertThat(payload.serviceName(0)).isEqualTo("checkout");
    assertThat(payload.itemCount(0)).isEqualTo(2);
    byte[] out = OtlpFixtures.rewritten(payload, new boolean[] {true}, PROVENANCE);

    // One resource field with the merged attributes, then the other fields in their order.
    byte[] merged = resource(attr("service.name", "checkout"), attr("host.name", "web-1"),
        attr("tollgate.sender", "ci-bot"), attr("tollgate.project", "shop"));
    assertThat(out).isEqualTo(request(cat(merged, scope, schema)));
    ResourceSpans want = collectorView.getResourceSpans(0);
    assertThat(ExportTraceServiceRequest.parseFrom(out).getResourceSpans(0))
        .isEqualTo(want.toBuilder().setResource(stamped(want.getResource())).build());
  }

  @Test
  void serviceNameInTheSecondResourceOccurrenceCounts() {
    byte[] body = request(cat(resource(attr("host.name", "a")), resource(attr("service.name", "b"))));

    assertThat(read(Signal.TRACES, body).serviceName(0)).isEqualTo("b");
  }

  @Test
  void unknownFieldsInsideResourcesAreCopied() throws Exception {
    byte[] unknownInResource = Wire.num(9, 42);
    byte[] unknownInResourceSpans = Wire.len(15, "future");
    byte[] body = request(cat(
        len(1, attr("service.name", "a"), unknownInResource), unknownInResourceSpans));

    byte[] out = OtlpFixtures.rewritten(read(Signal.TRACES, body), new boolean[] {true}, List.of());

    assertThat(out).isEqualTo(body);
  }

  @Test
  void aLargeBodyIsRewrittenIntoDirectMemoryAndASmallOneIntoAnArray() throws Exception {
    ExportTraceServiceRequest small = OtlpFixtures.traces();
    ExportTraceServiceRequest.Builder large = small.toBuilder();
    large.getResourceSpansBuilder(0).getResourceBuilder()
        .addAttributes(OtlpFixtures.kv("note", "x".repeat(RewrittenBody.DIRECT_FROM)));

    for (ExportTraceServiceRequest in : List.of(small, large.build())) {
      ByteBuf out = read(Signal.TRACES, in.toByteArray()).rewrite(KEEP, PROVENANCE, UnpooledByteBufAllocator.DEFAULT);
      try {
        assertThat(out.isDirect()).as("direct at %d bytes", out.readableBytes())
            .isEqualTo(out.readableBytes() >= RewrittenBody.DIRECT_FROM);
        assertThat(ExportTraceServiceRequest.parseFrom(ByteBufUtil.getBytes(out)).getResourceSpansList())
            .hasSize(3);
      } finally {
        out.release();
      }
    }
  }

  @Test
  void resourceWithoutResourceFieldStillGetsProvenance() throws Exception {
    byte[] body = request(Wire.scopeSpans(1));
    OtlpPayload payload = read(Signal.TRACES, body);

    assertThat(payload.serviceName(0)).isNull();
    ExportTraceServiceRequest out =
        ExportTraceServiceRequest.parseFrom(OtlpFixtures.rewritten(payload, new boolean[] {true}, PROVENANCE));
    assertThat(out.getResourceSpans(0).getResource().getAttributesList()).containsExactly(
        OtlpFixtures.kv("tollgate.sender", "ci-bot"), OtlpFixtures.kv("tollgate.project", "shop"));
  }

  @Test
  void emptyRequestHasNoResources() {
    OtlpPayload payload = read(Signal.LOGS, new byte[0]);

    assertThat(payload.resourceCount()).isZero();
    assertThat(OtlpFixtures.rewritten(payload, new boolean[0], PROVENANCE)).isEmpty();
  }

  @Test
  void readsFromTheMiddleOfABuffer() {
    byte[] body = OtlpFixtures.traces().toByteArray();
    byte[] framed = cat(new byte[] {(byte) 0xff, 0x0b}, body, new byte[] {(byte) 0xff});
    OtlpPayload payload = OtlpPayload.read(Signal.TRACES, PayloadFormat.PROTOBUF, framed, 2,
        body.length);

    assertThat(names(payload)).containsExactly(SERVICES);
    boolean[] all = {true, true, true, true};
    assertThat(OtlpFixtures.rewritten(payload, all, PROVENANCE))
        .isEqualTo(OtlpFixtures.rewritten(read(Signal.TRACES, body), all, PROVENANCE));
  }

  @Test
  void provenanceOutsideTheReservedPrefixIsRefused() {
    OtlpPayload payload = read(Signal.TRACES, OtlpFixtures.traces().toByteArray());

    assertThatThrownBy(() -> OtlpFixtures.rewritten(payload, new boolean[4],
        List.of(java.util.Map.entry("service.name", "x"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpFixtures.rewritten(payload, new boolean[3], PROVENANCE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static String[] names(OtlpPayload payload) {
    String[] names = new String[payload.resourceCount()];
    Arrays.setAll(names, payload::serviceName);
    return names;
  }

  static long[] counts(OtlpPayload payload) {
    long[] counts = new long[payload.resourceCount()];
    Arrays.setAll(counts, payload::itemCount);
    return counts;
  }
}
