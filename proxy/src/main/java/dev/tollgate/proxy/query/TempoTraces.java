package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Filters Tempo traces, which are OTLP/JSON resource spans ({@code batches} in the v1 answer,
 * {@code trace.resourceSpans} in v2). A span belongs to its resource's {@code service.name}; a
 * resource whose name is missing, not a string or given twice is never permitted.
 */
final class TempoTraces {
  private static final String[] KEPT = {"traceId", "spanId", "parentSpanId", "startTimeUnixNano", "endTimeUnixNano"};
  private static final String[] SCOPE_LISTS = {"scopeSpans", "instrumentationLibrarySpans"};

  private TempoTraces() {}

  /** A trace fetched by id, or null when none of its spans may be read. */
  static Object byId(Object json, boolean v1, String traceId, TraceScope scope, QueryTally tally) {
    JsonObject answer = json instanceof JsonObject o ? o.copy() : new JsonObject();
    JsonObject holder = v1 ? answer : answer.getValue("trace") instanceof JsonObject t ? t : new JsonObject();
    String field = v1 ? "batches" : "resourceSpans";
    JsonArray kept = resourceSpans(holder.getValue(field), traceId, scope, tally);
    if (kept == null) {
      return null;
    }
    holder.put(field, kept);
    return v1 ? answer : answer.put("trace", holder);
  }

  private static JsonArray resourceSpans(Object list, String traceId, TraceScope scope, QueryTally tally) {
    JsonArray out = new JsonArray();
    int total = 0;
    int permitted = 0;
    int redacted = 0;
    for (Object o : list instanceof JsonArray a ? a : new JsonArray()) {
      JsonObject rs = o instanceof JsonObject r ? r : new JsonObject();
      int spans = spanCount(rs);
      total += spans;
      if (scope.permits(service(rs))) {
        permitted += spans;
        out.add(rs);
      } else if (scope.redact() && spans > 0) {
        redacted += spans;
        out.add(redacted(rs));
      }
    }
    if (permitted == 0) {
      tally.traceRemoved(total);
      return null;
    }
    tally.traceReturned(traceId, permitted + redacted, total - permitted - redacted, redacted);
    return out;
  }

  /** The resource's service.name when it is given exactly once, as a string; else null. */
  static String service(JsonObject resourceSpans) {
    Object resource = resourceSpans.getValue("resource");
    Object attributes = resource instanceof JsonObject r ? r.getValue("attributes") : null;
    String found = null;
    int seen = 0;
    for (Object a : attributes instanceof JsonArray list ? list : new JsonArray()) {
      if (a instanceof JsonObject kv && "service.name".equals(kv.getValue("key"))) {
        seen++;
        Object value = kv.getValue("value");
        found = value instanceof JsonObject v && v.size() == 1 ? Listings.text(v.getValue("stringValue")) : null;
      }
    }
    return seen == 1 ? found : null;
  }

  private static int spanCount(JsonObject rs) {
    int n = 0;
    for (String list : SCOPE_LISTS) {
      for (Object s : rs.getValue(list) instanceof JsonArray a ? a : new JsonArray()) {
        n += s instanceof JsonObject scope && scope.getValue("spans") instanceof JsonArray spans ? spans.size() : 0;
      }
    }
    return n;
  }

  /** The resource's spans as placeholders under an empty resource and scope. */
  private static JsonObject redacted(JsonObject rs) {
    JsonArray spans = new JsonArray();
    for (String list : SCOPE_LISTS) {
      for (Object s : rs.getValue(list) instanceof JsonArray a ? a : new JsonArray()) {
        if (s instanceof JsonObject scope && scope.getValue("spans") instanceof JsonArray inner) {
          inner.forEach(span -> spans.add(redactedSpan(span)));
        }
      }
    }
    JsonObject scope = new JsonObject().put("scope", new JsonObject()).put("spans", spans);
    return new JsonObject().put("resource", new JsonObject().put("attributes", new JsonArray()))
        .put("scopeSpans", new JsonArray().add(scope));
  }

  private static JsonObject redactedSpan(Object span) {
    return Listings.only(span, KEPT).put("name", "");
  }
}
