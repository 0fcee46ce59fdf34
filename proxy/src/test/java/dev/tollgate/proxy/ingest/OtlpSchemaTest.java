package dev.tollgate.proxy.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The field numbers and JSON names the hand-written readers rely on, checked against the
 * generated opentelemetry-proto classes, so a schema change fails here rather than in production.
 */
class OtlpSchemaTest {

  static Stream<Arguments> requestFields() {
    return Stream.of(
        row(ExportTraceServiceRequest.getDescriptor(), "resource_spans", 1, "resourceSpans"),
        row(ExportMetricsServiceRequest.getDescriptor(), "resource_metrics", 1, "resourceMetrics"),
        row(ExportLogsServiceRequest.getDescriptor(), "resource_logs", 1, "resourceLogs"),
        row(ResourceSpans.getDescriptor(), "resource", 1, "resource"),
        row(ResourceSpans.getDescriptor(), "scope_spans", 2, "scopeSpans"),
        row(ResourceSpans.getDescriptor(), "schema_url", 3, "schemaUrl"),
        row(ResourceMetrics.getDescriptor(), "resource", 1, "resource"),
        row(ResourceMetrics.getDescriptor(), "scope_metrics", 2, "scopeMetrics"),
        row(ResourceMetrics.getDescriptor(), "schema_url", 3, "schemaUrl"),
        row(ResourceLogs.getDescriptor(), "resource", 1, "resource"),
        row(ResourceLogs.getDescriptor(), "scope_logs", 2, "scopeLogs"),
        row(ResourceLogs.getDescriptor(), "schema_url", 3, "schemaUrl"));
  }

  static Stream<Arguments> telemetryFields() {
    return Stream.of(
        row(Resource.getDescriptor(), "attributes", 1, "attributes"),
        row(Resource.getDescriptor(), "dropped_attributes_count", 2, "droppedAttributesCount"),
        row(Resource.getDescriptor(), "entity_refs", 3, "entityRefs"),
        row(KeyValue.getDescriptor(), "key", 1, "key"),
        row(KeyValue.getDescriptor(), "value", 2, "value"),
        row(KeyValue.getDescriptor(), "key_strindex", 3, "keyStrindex"),
        row(AnyValue.getDescriptor(), "string_value", 1, "stringValue"),
        row(AnyValue.getDescriptor(), "string_value_strindex", 8, "stringValueStrindex"),
        row(ScopeSpans.getDescriptor(), "spans", 2, "spans"),
        row(ScopeMetrics.getDescriptor(), "metrics", 2, "metrics"),
        row(ScopeLogs.getDescriptor(), "log_records", 2, "logRecords"),
        row(Metric.getDescriptor(), "gauge", 5, "gauge"),
        row(Metric.getDescriptor(), "sum", 7, "sum"),
        row(Metric.getDescriptor(), "histogram", 9, "histogram"),
        row(Metric.getDescriptor(), "exponential_histogram", 10, "exponentialHistogram"),
        row(Metric.getDescriptor(), "summary", 11, "summary"),
        row(Gauge.getDescriptor(), "data_points", 1, "dataPoints"),
        row(Sum.getDescriptor(), "data_points", 1, "dataPoints"),
        row(Histogram.getDescriptor(), "data_points", 1, "dataPoints"),
        row(ExponentialHistogram.getDescriptor(), "data_points", 1, "dataPoints"),
        row(Summary.getDescriptor(), "data_points", 1, "dataPoints"),
        row(ExportTraceServiceResponse.getDescriptor(), "partial_success", 1, "partialSuccess"),
        row(ExportTracePartialSuccess.getDescriptor(), "rejected_spans", 1, "rejectedSpans"),
        row(ExportMetricsPartialSuccess.getDescriptor(), "rejected_data_points", 1,
            "rejectedDataPoints"),
        row(ExportLogsPartialSuccess.getDescriptor(), "rejected_log_records", 1,
            "rejectedLogRecords"),
        row(ExportLogsPartialSuccess.getDescriptor(), "error_message", 2, "errorMessage"));
  }

  @ParameterizedTest
  @MethodSource({"requestFields", "telemetryFields"})
  void fieldNumbersAndJsonNames(Descriptor message, String name, int number, String jsonName) {
    FieldDescriptor field = message.findFieldByName(name);

    assertThat(field).as(message.getName() + "." + name).isNotNull();
    assertThat(field.getNumber()).isEqualTo(number);
    assertThat(field.getJsonName()).isEqualTo(jsonName);
  }

  @Test
  void anyValueHasOnlyTheValueFieldsTheReaderKnows() {
    assertThat(AnyValue.getDescriptor().getFields()).extracting(FieldDescriptor::getName)
        .containsExactly("string_value", "bool_value", "int_value", "double_value", "array_value",
            "kvlist_value", "bytes_value", "string_value_strindex");
  }

  @Test
  void signalShapesSpellWhatTheSchemaSays() {
    assertThat(SignalShape.TRACES.requestFields[0]).containsExactly("resourceSpans", "resource_spans");
    assertThat(SignalShape.METRICS.resourceFields[1]).containsExactly("scopeMetrics", "scope_metrics");
    assertThat(SignalShape.LOGS.itemField).containsExactly("logRecords", "log_records");
    assertThat(SignalShape.METRICS.rejectedField)
        .containsExactly("rejectedDataPoints", "rejected_data_points");
  }

  private static Arguments row(Descriptor message, String name, int number, String jsonName) {
    return argumentSet(message.getName() + "." + name, message, name, number, jsonName);
  }
}
