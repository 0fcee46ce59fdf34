package dev.tollgate.proxy.ingest;

import static dev.tollgate.proxy.ingest.OtlpFixtures.PROVENANCE;
import static dev.tollgate.proxy.ingest.OtlpFixtures.SERVICES;
import static dev.tollgate.proxy.ingest.OtlpFixtures.stamped;
import static dev.tollgate.proxy.ingest.ProtoPayloadTest.counts;
import static dev.tollgate.proxy.ingest.ProtoPayloadTest.names;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.tollgate.policy.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonPayloadTest {
  private static final boolean[] KEEP = {true, false, true, true};

  static OtlpPayload read(Signal signal, String json) {
    byte[] body = json.getBytes(UTF_8);
    return OtlpPayload.read(signal, PayloadFormat.JSON, body, 0, body.length);
  }

  static Stream<Arguments> spellings() {
    return Stream.of(
        argumentSet("lowerCamel", JsonFormat.printer()),
        argumentSet("snake_case", JsonFormat.printer().preservingProtoFieldNames()),
        argumentSet("compact lowerCamel", JsonFormat.printer().omittingInsignificantWhitespace()));
  }

  @ParameterizedTest
  @MethodSource("spellings")
  void tracesRoundTrip(JsonFormat.Printer printer) throws Exception {
    ExportTraceServiceRequest in = OtlpFixtures.traces();
    OtlpPayload payload = read(Signal.TRACES, printer.print(in));

    assertThat(names(payload)).containsExactly(SERVICES);
    assertThat(counts(payload)).containsExactly(OtlpFixtures.SPANS);
    ExportTraceServiceRequest.Builder want = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < KEEP.length; i++) {
      ResourceSpans rs = in.getResourceSpans(i);
      if (KEEP[i]) {
        want.addResourceSpans(rs.toBuilder().setResource(stamped(rs.getResource())));
      }
    }
    assertThat(parse(OtlpFixtures.rewritten(payload, KEEP, PROVENANCE), ExportTraceServiceRequest.newBuilder()))
        .isEqualTo(want.build());
  }

  @ParameterizedTest
  @MethodSource("spellings")
  void metricsRoundTrip(JsonFormat.Printer printer) throws Exception {
    ExportMetricsServiceRequest in = OtlpFixtures.metrics();
    OtlpPayload payload = read(Signal.METRICS, printer.print(in));

    assertThat(names(payload)).containsExactly(SERVICES);
    assertThat(counts(payload)).containsExactly(OtlpFixtures.DATA_POINTS);
    ExportMetricsServiceRequest.Builder want = ExportMetricsServiceRequest.newBuilder();
    for (int i = 0; i < KEEP.length; i++) {
      ResourceMetrics rm = in.getResourceMetrics(i);
      if (KEEP[i]) {
        want.addResourceMetrics(rm.toBuilder().setResource(stamped(rm.getResource())));
      }
    }
    assertThat(parse(OtlpFixtures.rewritten(payload, KEEP, PROVENANCE), ExportMetricsServiceRequest.newBuilder()))
        .isEqualTo(want.build());
  }

  @ParameterizedTest
  @MethodSource("spellings")
  void logsRoundTrip(JsonFormat.Printer printer) throws Exception {
    ExportLogsServiceRequest in = OtlpFixtures.logs();
    OtlpPayload payload = read(Signal.LOGS, printer.print(in));

    assertThat(names(payload)).containsExactly(SERVICES);
    assertThat(counts(payload)).containsExactly(OtlpFixtures.LOG_RECORDS);
    ResourceLogs kept = in.getResourceLogs(1);
    assertThat(parse(OtlpFixtures.rewritten(payload, new boolean[] {false, true, false, false}, PROVENANCE),
        ExportLogsServiceRequest.newBuilder()))
        .isEqualTo(ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(kept.toBuilder().setResource(stamped(kept.getResource()))).build());
  }

  @Test
  void membersOtherThanTheResourceAreCopiedByteForByte() {
    String scopes = "\"scope_spans\" : [ {\"spans\":[{\"name\":\"a\"} ,{\"name\":\"b\"}]} ]";
    String json = "{ \"resource_spans\" : [ { " + scopes + " , \"resource\" : { \"attributes\" : ["
        + " {\"key\":\"service.name\",\"value\":{\"string_value\":\"shop\"}} ,\n"
        + " {\"key\":\"tollgate.sender\",\"value\":{\"stringValue\":\"spoof\"}} ],"
        + " \"dropped_attributes_count\" :\t1 }, \"schemaUrl\":\"s\" } ] }";
    OtlpPayload payload = read(Signal.TRACES, json);

    byte[] out = OtlpFixtures.rewritten(payload, new boolean[] {true},
        List.of(Map.entry("tollgate.sender", "ci \"bot\"\n")));

    assertThat(payload.serviceName(0)).isEqualTo("shop");
    assertThat(payload.itemCount(0)).isEqualTo(2);
    assertThat(new String(out, UTF_8)).isEqualTo("{\"resourceSpans\":[{\"resource\":{\"attributes\":"
        + "[{\"key\":\"service.name\",\"value\":{\"string_value\":\"shop\"}},"
        + "{\"key\":\"tollgate.sender\",\"value\":{\"stringValue\":\"ci \\\"bot\\\"\\u000a\"}}],"
        + "\"dropped_attributes_count\" :\t1}," + scopes + ",\"schemaUrl\":\"s\"}]}");
  }

  @Test
  void escapedKeysAreReadAsTheCollectorDecodesThem() {
    OtlpPayload payload = read(Signal.TRACES, "{\"resourceSpans\":[{\"resource\":{\"attributes\":"
        + "[{\"key\":\"service\\u002ename\",\"value\":{\"stringValue\":\"caf\\u00e9 \u2603\"}}]}}]}");

    assertThat(payload.serviceName(0)).isEqualTo("caf\u00e9 \u2603");
  }

  @Test
  void resourceMissingOrNullStillGetsProvenance() throws Exception {
    OtlpPayload payload = read(Signal.TRACES,
        "{\"resourceSpans\":[{\"resource\":null},{},{\"resource\":{\"attributes\":null}}]}");

    ExportTraceServiceRequest out = (ExportTraceServiceRequest) parse(OtlpFixtures.rewritten(payload, new boolean[] {true, true, true},
        PROVENANCE), ExportTraceServiceRequest.newBuilder());
    assertThat(out.getResourceSpansList()).hasSize(3).allSatisfy(rs ->
        assertThat(rs.getResource()).isEqualTo(stamped(rs.getResource())));
    assertThat(names(payload)).containsOnlyNulls();
  }

  @Test
  void emptyRequestsHaveNoResources() {
    for (String json : List.of("{}", " {\"resourceLogs\":[]} ", "{\"resource_logs\":null}")) {
      OtlpPayload payload = read(Signal.LOGS, json);
      assertThat(payload.resourceCount()).isZero();
      assertThat(new String(OtlpFixtures.rewritten(payload, new boolean[0], PROVENANCE), UTF_8))
          .isEqualTo("{\"resourceLogs\":[]}");
    }
  }

  @Test
  void readsFromTheMiddleOfABuffer() throws Exception {
    byte[] body = JsonFormat.printer().print(OtlpFixtures.traces()).getBytes(UTF_8);
    byte[] framed = Wire.cat("xx{".getBytes(UTF_8), body, "}".getBytes(UTF_8));
    OtlpPayload payload = OtlpPayload.read(Signal.TRACES, PayloadFormat.JSON, framed, 3,
        body.length);

    assertThat(names(payload)).containsExactly(SERVICES);
    assertThat(counts(payload)).containsExactly(OtlpFixtures.SPANS);
    assertThat(OtlpFixtures.rewritten(payload, KEEP, PROVENANCE)).isEqualTo(OtlpFixtures.rewritten(
        OtlpPayload.read(Signal.TRACES, PayloadFormat.JSON, body, 0, body.length), KEEP, PROVENANCE));
  }

  static Message parse(byte[] json, Message.Builder builder) throws Exception {
    JsonFormat.parser().merge(new String(json, UTF_8), builder);
    return builder.build();
  }
}
