package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Filters Jaeger traces ({@code {traceID, spans, processes}}) to what the caller may read. A span
 * belongs to the service of the process its {@code processID} names.
 */
final class JaegerTraces {
  /** The process redacted spans point to: no service name, no tags. */
  static final String REDACTED_PROCESS = "tollgate-redacted";
  private static final String[] KEPT = {"traceID", "spanID", "references", "startTime", "duration", "flags"};

  private JaegerTraces() {}

  /** The traces of {@code data} that keep at least one permitted span. */
  static JsonArray traces(Object data, TraceScope scope, QueryTally tally) {
    JsonArray out = new JsonArray();
    if (data instanceof JsonArray traces) {
      for (Object t : traces) {
        JsonObject kept = t instanceof JsonObject trace ? trace(trace, scope, tally) : null;
        if (kept != null) {
          out.add(kept);
        }
      }
    }
    return out;
  }

  private static JsonObject trace(JsonObject trace, TraceScope scope, QueryTally tally) {
    JsonObject processes = trace.getValue("processes") instanceof JsonObject p ? p : new JsonObject();
    JsonArray spans = trace.getValue("spans") instanceof JsonArray s ? s : new JsonArray();
    JsonArray kept = new JsonArray();
    JsonObject keptProcesses = new JsonObject();
    int redacted = 0;
    for (Object o : spans) {
      JsonObject span = o instanceof JsonObject s ? s : new JsonObject();
      String pid = Listings.text(span.getValue("processID"));
      if (scope.permits(service(span, processes))) {
        kept.add(span);
        keptProcesses.put(pid, processes.getValue(pid));
      } else if (scope.redact()) {
        redacted++;
        kept.add(redacted(span));
        keptProcesses.put(REDACTED_PROCESS, new JsonObject().put("serviceName", "").put("tags", new JsonArray()));
      }
    }
    int permitted = kept.size() - redacted;
    if (permitted == 0) {
      tally.traceRemoved(spans.size());
      return null;
    }
    tally.traceReturned(Listings.text(trace.getValue("traceID")), kept.size(), spans.size() - kept.size(), redacted);
    JsonObject out = trace.copy().put("spans", kept).put("processes", keptProcesses);
    if (kept.size() < spans.size() || redacted > 0) {
      out.putNull("warnings"); // they may describe the spans taken out
    }
    return out;
  }

  /**
   * The span's service: that of its process, and null when the process is missing or the span
   * embeds a process of another service (two answers to one question).
   */
  private static String service(JsonObject span, JsonObject processes) {
    String pid = Listings.text(span.getValue("processID"));
    Object process = pid == null ? null : processes.getValue(pid);
    String service = process instanceof JsonObject p ? Listings.text(p.getValue("serviceName")) : null;
    if (span.getValue("process") instanceof JsonObject embedded
        && !Objects.equals(service, Listings.text(embedded.getValue("serviceName")))) {
      return null;
    }
    return service;
  }

  private static JsonObject redacted(JsonObject span) {
    return Listings.only(span, KEPT).put("operationName", "").put("tags", new JsonArray()).put("logs", new JsonArray())
        .put("processID", REDACTED_PROCESS).putNull("warnings");
  }
}
