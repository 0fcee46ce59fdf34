package dev.tollgate.proxy.ingest;

import dev.tollgate.policy.Signal;

/** How one signal's export messages are named on the wire and in both OTLP/JSON spellings. */
enum SignalShape {
  TRACES(
      "ExportTraceServiceRequest", "ResourceSpans", "resource_spans",
      new String[] {"scopeSpans", "scope_spans"}, new String[] {"spans"},
      new String[] {"rejectedSpans", "rejected_spans"}),
  METRICS(
      "ExportMetricsServiceRequest", "ResourceMetrics", "resource_metrics",
      new String[] {"scopeMetrics", "scope_metrics"}, new String[] {"metrics"},
      new String[] {"rejectedDataPoints", "rejected_data_points"}),
  LOGS(
      "ExportLogsServiceRequest", "ResourceLogs", "resource_logs",
      new String[] {"scopeLogs", "scope_logs"}, new String[] {"logRecords", "log_records"},
      new String[] {"rejectedLogRecords", "rejected_log_records"});

  final String requestName;
  final String resourceName;
  final String resourcesField;
  /** Top-level JSON field: lowerCamel first (the spelling Tollgate writes), then snake_case. */
  final String[][] requestFields;
  /** ResourceX JSON fields: 0 resource, 1 scope list, 2 schema url. */
  final String[][] resourceFields;
  /** The JSON spellings of the scope message's item list (spans, metrics, log records). */
  final String[] itemField;
  final String[] rejectedField;

  SignalShape(
      String requestName,
      String resourceName,
      String resourcesField,
      String[] scopeField,
      String[] itemField,
      String[] rejectedField) {
    this.requestName = requestName;
    this.resourceName = resourceName;
    this.resourcesField = resourcesField;
    this.requestFields = new String[][] {{camel(resourcesField), resourcesField}};
    this.resourceFields = new String[][] {{"resource"}, scopeField, {"schemaUrl", "schema_url"}};
    this.itemField = itemField;
    this.rejectedField = rejectedField;
  }

  static SignalShape of(Signal signal) {
    return switch (signal) {
      case TRACES -> TRACES;
      case METRICS -> METRICS;
      case LOGS -> LOGS;
    };
  }

  static boolean spells(String[] spellings, String name) {
    for (String spelling : spellings) {
      if (spelling.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String camel(String snake) {
    int underscore = snake.indexOf('_');
    return snake.substring(0, underscore)
        + Character.toUpperCase(snake.charAt(underscore + 1))
        + snake.substring(underscore + 2);
  }
}
