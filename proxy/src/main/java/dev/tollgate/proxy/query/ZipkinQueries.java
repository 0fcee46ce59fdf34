package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Buffers;
import java.util.List;
import java.util.Set;

/**
 * The Zipkin v2 query API ({@code /api/v2/...}). Zipkin lower-cases service names, so names in
 * queries are checked and sent lower-cased, the way Zipkin will read them.
 */
final class ZipkinQueries implements QueryBackend {
  private static final String V2 = "/api/v2";
  private static final Set<String> TRACE_SEARCH = Set.of("serviceName", "remoteServiceName", "spanName",
      "annotationQuery", "minDuration", "maxDuration", "endTs", "lookback", "limit");
  private static final List<String> SPAN_FILTERS = List.of("annotationQuery", "spanName", "remoteServiceName",
      "minDuration", "maxDuration");
  /** Traces and trace lists are filtered over the answer's own bytes, never decoded whole. */
  private static final QueryPlan.AnswerFilter TRACE =
      (answer, s, t) -> ZipkinTraces.trace(Buffers.bytes(answer), s, t);
  private static final QueryPlan.AnswerFilter TRACES =
      (answer, s, t) -> ZipkinTraces.traces(Buffers.bytes(answer), s, t);
  private static final QueryPlan.AnswerFilter SERVICES =
      QueryPlan.decoded((json, s, t) -> Listings.services(json, s));

  @Override
  public boolean foldsCase() {
    return true;
  }

  @Override
  public QueryPlan plan(String path, QueryParams params, TraceScope scope, QueryTally tally) {
    String id = PathParams.lastSegment(path, V2 + "/trace/");
    if (id != null) {
      params.allowOnly(Set.of(), Set.of());
      return new QueryPlan(V2 + "/trace/" + PathParams.traceId(id), TRACE, true);
    }
    switch (path) {
      case V2 + "/services":
        params.allowOnly(Set.of(), Set.of());
        return new QueryPlan(path, SERVICES, false);
      case V2 + "/spans":
        return new QueryPlan(path + service(params, scope, tally).encode(), QueryPlan.unfiltered(), false);
      case V2 + "/remoteServices":
        return new QueryPlan(path + service(params, scope, tally).encode(), SERVICES, false);
      case V2 + "/traces":
        return new QueryPlan(path + traceSearch(params, scope, tally).encode(), TRACES, false);
      case V2 + "/traceMany":
        return new QueryPlan(path + traceMany(params, tally).encode(), TRACES, false);
      case V2 + "/dependencies":
        params.allowOnly(Set.of("endTs", "lookback"), Set.of());
        timeRange(params, tally);
        return new QueryPlan(path + params.encode(), QueryPlan.decoded((json, s, t) -> Listings.links(json, s)), false);
      case V2 + "/autocompleteKeys":
        params.allowOnly(Set.of(), Set.of());
        return new QueryPlan(path, QueryPlan.unfiltered(), false);
      case V2 + "/autocompleteValues":
        params.allowOnly(Set.of("key"), Set.of());
        tally.tag("key", params.required("key"));
        return new QueryPlan(path + params.encode(), Withheld.unlessEverything(), false);
      default:
        throw QueryBackend.unknownPath("zipkin", path);
    }
  }

  private static QueryParams service(QueryParams params, TraceScope scope, QueryTally tally) {
    params.allowOnly(Set.of("serviceName"), Set.of());
    return params.with("serviceName", scope.require(params.required("serviceName"), tally));
  }

  /**
   * A trace search. Zipkin tests its span filters against the spans of {@code serviceName} only, and
   * against every span when it is absent or empty: then whether a trace comes back would tell
   * whether spans of other services match. So a filter needs a permitted {@code serviceName},
   * unless the caller may read every service.
   */
  private static QueryParams traceSearch(QueryParams params, TraceScope scope, QueryTally tally) {
    params.allowOnly(TRACE_SEARCH, Set.of());
    QueryParams out = params;
    for (String name : new String[] {"serviceName", "remoteServiceName"}) {
      String service = params.get(name);
      if (service != null && !service.isEmpty()) {
        out = out.with(name, scope.require(service, tally));
      }
    }
    tally.tag("spanName", params.get("spanName"));
    tally.tag("annotationQuery", params.get("annotationQuery"));
    tally.tag("minDuration", params.get("minDuration"));
    tally.tag("maxDuration", params.get("maxDuration"));
    timeRange(params, tally);
    String serviceName = params.get("serviceName");
    String filter = spanFilter(params);
    if (filter != null && (serviceName == null || serviceName.isEmpty()) && !scope.everything()) {
      throw new QueryRefused(403, "a trace search by " + filter + " must name a serviceName you may read: without"
          + " one Zipkin matches " + filter + " against the spans of every service");
    }
    return out;
  }

  /** The first span filter the search gives, or null; Zipkin ignores empty ones and the span name "all". */
  private static String spanFilter(QueryParams params) {
    for (String name : SPAN_FILTERS) {
      String value = params.get(name);
      if (value != null && !value.isEmpty() && !(name.equals("spanName") && value.equalsIgnoreCase("all"))) {
        return name;
      }
    }
    return null;
  }

  /** Zipkin's window is an end time and a lookback, both in milliseconds. */
  private static void timeRange(QueryParams params, QueryTally tally) {
    tally.range(null, params.get("endTs"));
    tally.tag("lookback", params.get("lookback"));
  }

  private static QueryParams traceMany(QueryParams params, QueryTally tally) {
    params.allowOnly(Set.of("traceIds"), Set.of());
    StringBuilder ids = new StringBuilder();
    for (String id : params.required("traceIds").split(",", -1)) {
      ids.append(ids.length() == 0 ? "" : ",").append(PathParams.traceId(id));
    }
    tally.tag("traceIds", ids.toString());
    return params.with("traceIds", ids.toString());
  }
}
