package dev.tollgate.proxy.ingest;

import com.google.protobuf.ByteString;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;

/** Real OTLP requests built with the generated classes: four resources per signal. */
final class OtlpFixtures {
  /** The service names of the four resources; null means the resource has no service.name. */
  static final String[] SERVICES = {"checkout", "payments", null, ""};
  static final long[] SPANS = {3, 2, 1, 0};
  static final long[] LOG_RECORDS = {4, 1, 2, 0};
  /** Resource 0 has one metric of every kind: 2 + 3 + 1 + 4 + 5 points; resource 1 one gauge. */
  static final long[] DATA_POINTS = {15, 1, 0, 0};
  static final List<Map.Entry<String, String>> PROVENANCE =
      List.of(Map.entry("tollgate.sender", "ci-bot"), Map.entry("tollgate.project", "shop"));

  private OtlpFixtures() {}

  static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** A resource with the sender's own attributes, including a spoofed provenance attribute. */
  static Resource resource(int i) {
    Resource.Builder r = Resource.newBuilder();
    if (SERVICES[i] != null) {
      r.addAttributes(kv("service.name", SERVICES[i]));
    }
    return r.addAttributes(kv("tollgate.sender", "spoofed"))
        .addAttributes(KeyValue.newBuilder().setKey("host.cores")
            .setValue(AnyValue.newBuilder().setIntValue(8 + i)))
        .addAttributes(kv("tollgate.project", "spoofed"))
        .setDroppedAttributesCount(i)
        .build();
  }

  /** What {@link #resource} should become: reserved keys removed, provenance appended. */
  static Resource stamped(Resource original) {
    Resource.Builder r = original.toBuilder().clearAttributes();
    original.getAttributesList().stream()
        .filter(a -> !a.getKey().startsWith("tollgate."))
        .forEach(r::addAttributes);
    PROVENANCE.forEach(e -> r.addAttributes(kv(e.getKey(), e.getValue())));
    return r.build();
  }

  static InstrumentationScope scope(String name) {
    return InstrumentationScope.newBuilder().setName(name).setVersion("1.0").build();
  }

  static ExportTraceServiceRequest traces() {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < SERVICES.length; i++) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource(i))
          .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
      for (int s = 0; s < SPANS[i]; s++) {
        // Spans spread over two scopes, to count across scopes.
        rs.addScopeSpans(ScopeSpans.newBuilder().setScope(scope("lib-" + s % 2))
            .addSpans(span(i, s)));
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  static Span span(int resource, int s) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
            15, (byte) resource}))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) s}))
        .setName("GET /cart/" + s).setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_000_000_000L + s).setEndTimeUnixNano(1_700_000_001_000_000_000L)
        .addAttributes(kv("http.route", "/cart/{id}"))
        .addAttributes(kv("tollgate.sender", "span attributes are not touched"))
        .build();
  }

  static ExportLogsServiceRequest logs() {
    ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
    for (int i = 0; i < SERVICES.length; i++) {
      ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(scope("logger"));
      for (int l = 0; l < LOG_RECORDS[i]; l++) {
        scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(l + 1).setSeverityText("INFO")
            .setBody(AnyValue.newBuilder().setStringValue("line " + l)));
      }
      req.addResourceLogs(ResourceLogs.newBuilder().setResource(resource(i)).addScopeLogs(scope));
    }
    return req.build();
  }

  static ExportMetricsServiceRequest metrics() {
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    ScopeMetrics.Builder all = ScopeMetrics.newBuilder().setScope(scope("meter"))
        .addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
            .addDataPoints(number(1)).addDataPoints(number(2))))
        .addMetrics(Metric.newBuilder().setName("s").setSum(Sum.newBuilder().setIsMonotonic(true)
            .addDataPoints(number(1)).addDataPoints(number(2)).addDataPoints(number(3))))
        .addMetrics(Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
            .addDataPoints(HistogramDataPoint.newBuilder().setCount(3).addBucketCounts(3))))
        .addMetrics(Metric.newBuilder().setName("e").setExponentialHistogram(
            ExponentialHistogram.newBuilder()
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(1))
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(2))
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(3))
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(4))))
        .addMetrics(Metric.newBuilder().setName("q").setSummary(Summary.newBuilder()
            .addDataPoints(SummaryDataPoint.newBuilder().setCount(1))
            .addDataPoints(SummaryDataPoint.newBuilder().setCount(2))
            .addDataPoints(SummaryDataPoint.newBuilder().setCount(3))
            .addDataPoints(SummaryDataPoint.newBuilder().setCount(4))
            .addDataPoints(SummaryDataPoint.newBuilder().setCount(5))));
    ScopeMetrics.Builder one = ScopeMetrics.newBuilder().setScope(scope("meter"))
        .addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
            .addDataPoints(number(7))));
    req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(0)).addScopeMetrics(all));
    req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(1)).addScopeMetrics(one));
    req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(2)));
    req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(3))
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope("empty"))));
    return req.build();
  }

  static NumberDataPoint number(double value) {
    return NumberDataPoint.newBuilder().setAsDouble(value).setTimeUnixNano(1).build();
  }

  /**
   * {@link OtlpPayload#rewrite}'s bytes. The body comes back as the one reference to a buffer,
   * direct when it is large, which this releases after copying.
   */
  static byte[] rewritten(OtlpPayload payload, boolean[] keep, List<Map.Entry<String, String>> provenance) {
    ByteBuf body = payload.rewrite(keep, provenance, UnpooledByteBufAllocator.DEFAULT);
    try {
      if (body.isReadable()) { // (an empty body is Netty's shared empty buffer)
        assertThat(body.isDirect()).as("direct").isEqualTo(body.readableBytes() >= RewrittenBody.DIRECT_FROM);
      }
      assertThat(body.refCnt()).isEqualTo(1);
      return ByteBufUtil.getBytes(body);
    } finally {
      body.release();
    }
  }
}
