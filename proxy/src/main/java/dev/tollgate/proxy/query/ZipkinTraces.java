package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Filters Zipkin v2 traces (lists of spans) to what the caller may read. A span belongs to its
 * {@code localEndpoint.serviceName}; a span without one is never permitted.
 */
final class ZipkinTraces {
  /** What a redacted span keeps: ids, the parent link and timing. */
  private static final String[] KEPT = {"traceId", "parentId", "id", "timestamp", "duration", "shared"};

  private ZipkinTraces() {}

  /** A list of traces ({@code /traces}, {@code /traceMany}), without those left with no span. */
  static JsonArray traces(Object json, TraceScope scope, QueryTally tally) {
    JsonArray out = new JsonArray();
    if (json instanceof JsonArray traces) {
      for (Object t : traces) {
        JsonArray kept = trace(t, scope, tally);
        if (kept != null) {
          out.add(kept);
        }
      }
    }
    return out;
  }

  /** One trace ({@code /trace/{id}}), or null when none of its spans may be read. */
  static JsonArray trace(Object json, TraceScope scope, QueryTally tally) {
    if (!(json instanceof JsonArray spans)) {
      return null;
    }
    JsonArray out = new JsonArray();
    int permitted = 0;
    int redacted = 0;
    String traceId = null;
    for (Object o : spans) {
      JsonObject span = o instanceof JsonObject s ? s : null;
      if (span != null && scope.permits(service(span))) {
        permitted++;
        out.add(span);
        traceId = traceId == null ? Listings.text(span.getValue("traceId")) : traceId;
      } else if (span != null && scope.redact()) {
        redacted++;
        out.add(redacted(span));
      }
    }
    if (permitted == 0) {
      tally.traceRemoved(spans.size());
      return null;
    }
    tally.traceReturned(traceId, out.size(), spans.size() - out.size(), redacted);
    return out;
  }

  private static String service(JsonObject span) {
    Object endpoint = span.getValue("localEndpoint");
    return endpoint instanceof JsonObject e ? Listings.text(e.getValue("serviceName")) : null;
  }

  private static JsonObject redacted(JsonObject span) {
    return Listings.only(span, KEPT);
  }
}
