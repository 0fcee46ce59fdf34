package dev.tollgate.proxy.audit;

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

  private static final byte[] BACKEND = AuditJson.name("backend");
  private static final byte[] SERVICES = AuditJson.name("services");
  private static final byte[] TAGS = AuditJson.name("tags");
  private static final byte[] START = AuditJson.name("start");
  private static final byte[] END = AuditJson.name("end");
  private static final byte[] TRACEQL = AuditJson.name("traceql");
  private static final byte[] TRACES = AuditJson.name("traces");
  private static final byte[] SPANS = AuditJson.name("spans");
  private static final byte[] RETURNED = AuditJson.name("returned");
  private static final byte[] REMOVED = AuditJson.name("removed");
  private static final byte[] REDACTED = AuditJson.name("redacted");
  private static final byte[] TRACE_IDS = AuditJson.name("trace_ids");
  private static final byte[] TRACE_IDS_TOTAL = AuditJson.name("trace_ids_total");

  /** Writes this record's fields into the currently open JSON object. */
  void writeFields(AuditJson g) {
    g.string(BACKEND, backend);
    g.strings(SERVICES, services);
    g.strings(TAGS, tags);
    g.string(START, start);
    g.string(END, end);
    g.string(TRACEQL, traceQl);
    g.beginObject(TRACES);
    g.number(RETURNED, tracesReturned);
    g.number(REMOVED, tracesRemoved);
    g.endObject();
    g.beginObject(SPANS);
    g.number(RETURNED, spansReturned);
    g.number(REMOVED, spansRemoved);
    g.number(REDACTED, spansRedacted);
    g.endObject();
    if (traceIdsTotal > 0) {
      g.array(TRACE_IDS, traceIds);
      g.number(TRACE_IDS_TOTAL, traceIdsTotal);
    }
  }
}
