package dev.tollgate.proxy.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What a trace query asked and what it got back, for the audit event of a read. Filled in by the
 * query gateway; written as the event's {@code query} object, leaving out what is empty.
 *
 * @param backend the query backend's type ({@code zipkin}, {@code jaeger}, {@code tempo})
 * @param services the services the query named, as the backend reads them
 * @param tags the other filters the query carried (span name, tags, durations, tag keys), by name
 * @param start the start of the time range as the caller gave it, or null
 * @param end the end of the time range (or end and lookback) as the caller gave it, or null
 * @param traceQl the TraceQL text of a Tempo query, or null
 * @param tracesReturned traces in the answer
 * @param tracesRemoved traces withheld because none of their spans may be read
 * @param spansReturned spans in the answer, redacted ones included
 * @param spansRemoved spans taken out of the answer
 * @param spansRedacted spans left in the answer as blanked placeholders
 * @param traceIds the first returned trace ids, at most as many as configured
 * @param traceIdsTotal how many trace ids the answer held in all
 */
public record QueryAudit(
    String backend,
    List<String> services,
    Map<String, String> tags,
    String start,
    String end,
    String traceQl,
    int tracesReturned,
    int tracesRemoved,
    int spansReturned,
    int spansRemoved,
    int spansRedacted,
    List<String> traceIds,
    int traceIdsTotal) {

  /** Writes this record's fields into the currently open JSON object. */
  void writeFields(JsonGenerator g) throws IOException {
    g.writeStringField("backend", backend);
    if (!services.isEmpty()) {
      g.writeArrayFieldStart("services");
      for (String s : services) {
        g.writeString(s);
      }
      g.writeEndArray();
    }
    if (!tags.isEmpty()) {
      g.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> e : tags.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    optional(g, "start", start);
    optional(g, "end", end);
    optional(g, "traceql", traceQl);
    g.writeObjectFieldStart("traces");
    g.writeNumberField("returned", tracesReturned);
    g.writeNumberField("removed", tracesRemoved);
    g.writeEndObject();
    g.writeObjectFieldStart("spans");
    g.writeNumberField("returned", spansReturned);
    g.writeNumberField("removed", spansRemoved);
    g.writeNumberField("redacted", spansRedacted);
    g.writeEndObject();
    if (traceIdsTotal > 0) {
      g.writeArrayFieldStart("trace_ids");
      for (String id : traceIds) {
        g.writeString(id);
      }
      g.writeEndArray();
      g.writeNumberField("trace_ids_total", traceIdsTotal);
    }
  }

  private static void optional(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
