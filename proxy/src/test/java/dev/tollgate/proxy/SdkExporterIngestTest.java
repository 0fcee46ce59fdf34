package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real OpenTelemetry SDK exporters send through Tollgate; the collector decodes what arrived. */
class SdkExporterIngestTest {
  @TempDir static Path dir;
  static TollgateFixture f;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    f = new TollgateFixture(dir);
    token = f.token("shop-collector");
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    f.collector.reset();
  }

  private static io.opentelemetry.sdk.resources.Resource resource(String service) {
    return io.opentelemetry.sdk.resources.Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), service,
        AttributeKey.stringKey("tollgate.project"), "spoofed"));
  }

  @Test
  void tracesArriveWithProvenanceAndTollgatesCredentialOnly() throws Exception {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(f.url("/projects/shop/v1/traces").toString())
        .setHeaders(() -> Map.of("Authorization", "Bearer " + token))
        .build();
    SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource("checkout"))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    tracing.get("test").spanBuilder("GET /cart").startSpan().end();
    assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    tracing.shutdown().join(10, TimeUnit.SECONDS);

    RecordingCollector.Received r = f.collector.await(1).get(0);
    assertThat(r.path()).isEqualTo("/v1/traces");
    assertThat(r.headers().get("authorization")).isEqualTo("Bearer upstream-token-1");
    assertThat(r.headers().get("x-scope-orgid")).isEqualTo("shop");
    assertThat(r.headers().entries().toString()).doesNotContain(token);
    var rs = r.traces().getResourceSpans(0);
    assertThat(attributes(rs.getResource()))
        .containsEntry("service.name", "checkout")
        .containsEntry("tollgate.sender", "shop-collector")
        .containsEntry("tollgate.project", "shop");
    assertThat(rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("tollgate.project")))
        .hasSize(1);
    assertThat(rs.getScopeSpans(0).getSpans(0).getName()).isEqualTo("GET /cart");
  }

  @Test
  void metricsArrive() throws Exception {
    OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
        .setEndpoint(f.url("/projects/shop/v1/metrics").toString())
        .setHeaders(() -> Map.of("Authorization", "Bearer " + token))
        .build();
    SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource("cart-api"))
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(java.time.Duration.ofHours(1)).build())
        .build();
    meters.get("test").counterBuilder("orders").build().add(3);
    assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    meters.shutdown().join(10, TimeUnit.SECONDS);

    var rm = f.collector.await(1).get(0).metrics().getResourceMetrics(0);
    assertThat(attributes(rm.getResource())).containsEntry("service.name", "cart-api")
        .containsEntry("tollgate.project", "shop");
    assertThat(rm.getScopeMetrics(0).getMetrics(0).getName()).isEqualTo("orders");
    assertThat(rm.getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0).getAsInt()).isEqualTo(3);
  }

  @Test
  void logsArriveUsingTheProjectHeader() throws Exception {
    OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(f.url("/v1/logs").toString())
        .setHeaders(() -> Map.of("Authorization", "Bearer " + token, "X-Tollgate-Project", "shop"))
        .build();
    SdkLoggerProvider logs = SdkLoggerProvider.builder().setResource(resource("checkout"))
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
    logs.get("test").logRecordBuilder().setBody("order placed").emit();
    assertThat(logs.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    logs.shutdown().join(10, TimeUnit.SECONDS);

    var rl = f.collector.await(1).get(0).logs().getResourceLogs(0);
    assertThat(attributes(rl.getResource())).containsEntry("tollgate.project", "shop");
    assertThat(rl.getScopeLogs(0).getLogRecords(0).getBody().getStringValue()).isEqualTo("order placed");
  }

  @Test
  void forbiddenServiceFailsTheExportAndNothingArrives() throws Exception {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(f.url("/projects/shop/v1/traces").toString())
        .setHeaders(() -> Map.of("Authorization", "Bearer " + token))
        .build();
    SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource("payments"))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    tracing.get("test").spanBuilder("charge").startSpan().end();
    assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
    tracing.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(f.collector.received()).isEmpty();
  }

  static Map<String, String> attributes(Resource r) {
    return r.getAttributesList().stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> a + "," + b));
  }
}
