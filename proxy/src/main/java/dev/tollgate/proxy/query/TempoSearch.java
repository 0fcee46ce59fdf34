package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Filters Tempo search results ({@code {"traces": [...]}}). A result is kept when one of its
 * services may be read; forbidden services leave its per-service stats, a forbidden root is
 * blanked, and its matched spans are kept only when they are known to be permitted: by the one
 * {@code service.name} among their attributes, or, for a span that names none, because every
 * service of the trace is permitted. This holds for proven queries too, so a query Tollgate misread
 * still shows nothing it cannot attribute.
 */
final class TempoSearch {
  private static final String[] SPAN_SETS = {"spanSet", "spanSets"};

  private TempoSearch() {}

  /**
   * @param proven whether the query was proven to match only permitted services' spans; otherwise
   *     matched spans are shown only for traces of permitted services alone
   */
  static Object results(Object json, boolean proven, TraceScope scope, QueryTally tally) {
    JsonObject answer = json instanceof JsonObject o ? o.copy() : new JsonObject();
    JsonArray kept = new JsonArray();
    for (Object o : answer.getValue("traces") instanceof JsonArray a ? a : new JsonArray()) {
      JsonObject trace = o instanceof JsonObject t ? t : new JsonObject();
      JsonObject k = result(trace, proven, scope, tally);
      if (k != null) {
        kept.add(k);
      }
    }
    return answer.put("traces", kept);
  }

  private static JsonObject result(JsonObject trace, boolean proven, TraceScope scope, QueryTally tally) {
    JsonObject stats = trace.getValue("serviceStats") instanceof JsonObject s ? s : new JsonObject();
    String root = Listings.text(trace.getValue("rootServiceName"));
    boolean rootPermitted = scope.permits(root);
    JsonObject keptStats = new JsonObject();
    stats.forEach(e -> {
      if (scope.permits(e.getKey())) {
        keptStats.put(e.getKey(), e.getValue());
      }
    });
    if (keptStats.isEmpty() && !(stats.isEmpty() && rootPermitted)) {
      tally.traceRemoved(matchedSpans(trace));
      return null;
    }
    JsonObject out = trace.copy();
    if (!stats.isEmpty()) {
      out.put("serviceStats", keptStats);
    }
    if (!rootPermitted) {
      out.put("rootServiceName", "").put("rootTraceName", "");
    }
    boolean onlyPermitted = rootPermitted && keptStats.size() == stats.size() && !stats.isEmpty();
    int removed = proven || onlyPermitted ? filterSpans(out, scope, onlyPermitted) : dropSpans(out);
    tally.traceReturned(Listings.text(trace.getValue("traceID")), matchedSpans(out), removed, 0);
    return out;
  }

  /**
   * Removes the matched spans not attributed to a permitted service; returns how many. A span naming
   * no service is kept only when {@code unnamedPermitted}: the trace holds permitted services alone.
   */
  private static int filterSpans(JsonObject trace, TraceScope scope, boolean unnamedPermitted) {
    int removed = 0;
    for (JsonObject set : spanSets(trace)) {
      JsonArray kept = new JsonArray();
      JsonArray spans = set.getValue("spans") instanceof JsonArray a ? a : new JsonArray();
      for (Object s : spans) {
        if (s instanceof JsonObject span && attributed(span, scope, unnamedPermitted)) {
          kept.add(s);
        }
      }
      removed += spans.size() - kept.size();
      set.put("spans", kept);
    }
    return removed;
  }

  private static int dropSpans(JsonObject trace) {
    int n = matchedSpans(trace);
    for (String field : SPAN_SETS) {
      trace.remove(field);
    }
    return n;
  }

  private static int matchedSpans(JsonObject trace) {
    int n = 0;
    for (JsonObject set : spanSets(trace)) {
      n += set.getValue("spans") instanceof JsonArray a ? a.size() : 0;
    }
    return n;
  }

  private static java.util.List<JsonObject> spanSets(JsonObject trace) {
    java.util.List<JsonObject> out = new java.util.ArrayList<>();
    if (trace.getValue("spanSet") instanceof JsonObject one) {
      out.add(one);
    }
    for (Object o : trace.getValue("spanSets") instanceof JsonArray a ? a : new JsonArray()) {
      if (o instanceof JsonObject set) {
        out.add(set);
      }
    }
    return out;
  }

  /**
   * Whether a matched span may be shown: its attributes name a permitted service exactly once, as a
   * string, or name none and {@code unnamedPermitted}. Two names, or a name that is not a string, is
   * never permitted.
   */
  private static boolean attributed(JsonObject span, TraceScope scope, boolean unnamedPermitted) {
    int seen = 0;
    String name = null;
    for (Object a : span.getValue("attributes") instanceof JsonArray list ? list : new JsonArray()) {
      if (a instanceof JsonObject kv && "service.name".equals(kv.getValue("key"))) {
        seen++;
        Object v = kv.getValue("value");
        name = v instanceof JsonObject value && value.size() == 1 ? Listings.text(value.getValue("stringValue")) : null;
      }
    }
    return seen == 0 ? unnamedPermitted : seen == 1 && scope.permits(name);
  }
}
