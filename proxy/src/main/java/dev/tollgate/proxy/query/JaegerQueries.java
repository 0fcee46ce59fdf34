package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The Jaeger query service's HTTP API ({@code /api/...}), whose answers wrap their result in
 * {@code {"data": ..., "total": n, ...}}. Service names are case-sensitive in Jaeger.
 */
final class JaegerQueries implements QueryBackend {
  private static final String SERVICES = "/api/services";
  private static final String TRACES = "/api/traces";
  private static final Set<String> SEARCH = Set.of("service", "operation", "tags", "tag", "start", "end", "limit",
      "minDuration", "maxDuration", "lookback", "traceID");
  private static final List<String> SPAN_FILTERS = List.of("operation", "tags", "tag", "minDuration", "maxDuration");

  @Override
  public QueryPlan plan(String path, QueryParams params, TraceScope scope, QueryTally tally) {
    String id = PathParams.lastSegment(path, TRACES + "/");
    if (id != null) {
      params.allowOnly(Set.of("start", "end"), Set.of());
      tally.range(params.get("start"), params.get("end"));
      return new QueryPlan(TRACES + "/" + PathParams.traceId(id) + params.encode(),
          data((traces, t) -> JaegerTraces.traces(traces, scope, t), true), true);
    }
    String service = operationsOf(path);
    if (service != null) {
      params.allowOnly(Set.of(), Set.of());
      String name = scope.require(PathParams.service(service), tally);
      return new QueryPlan(SERVICES + "/" + PathEncoding.segment(name) + "/operations", QueryPlan.unfiltered(), false);
    }
    switch (path) {
      case SERVICES:
        params.allowOnly(Set.of(), Set.of());
        return new QueryPlan(path, data((list, t) -> Listings.services(list, scope), false), false);
      case TRACES:
        return new QueryPlan(path + search(params, scope, tally).encode(),
            data((traces, t) -> JaegerTraces.traces(traces, scope, t), false), false);
      case "/api/dependencies":
        params.allowOnly(Set.of("endTs", "lookback"), Set.of());
        tally.range(null, params.get("endTs"));
        tally.tag("lookback", params.get("lookback"));
        return new QueryPlan(path + params.encode(), data((links, t) -> Listings.links(links, scope), false), false);
      default:
        throw QueryBackend.unknownPath("jaeger", path);
    }
  }

  /** The service of {@code /api/services/{service}/operations}, still encoded, or null. */
  private static String operationsOf(String path) {
    String suffix = "/operations";
    if (!path.startsWith(SERVICES + "/") || !path.endsWith(suffix)) {
      return null;
    }
    return PathParams.lastSegment(path.substring(0, path.length() - suffix.length()), SERVICES + "/");
  }

  /**
   * A trace search. Jaeger matches its span filters against the spans of {@code service}; versions
   * that search without one match them against every service's spans, so a filter needs a
   * permitted {@code service}, unless the caller may read every service.
   */
  private static QueryParams search(QueryParams params, TraceScope scope, QueryTally tally) {
    params.allowOnly(SEARCH, Set.of("traceID", "tag"));
    QueryParams out = params;
    String service = params.get("service");
    if (service != null) {
      out = out.with("service", scope.require(service, tally));
    }
    for (String id : params.all("traceID")) {
      tally.tag("traceID", PathParams.traceId(id));
    }
    tally.tag("operation", params.get("operation"));
    tally.tag("tags", params.get("tags"));
    tally.tag("tag", params.all("tag").isEmpty() ? null : String.join(" ", params.all("tag")));
    tally.tag("minDuration", params.get("minDuration"));
    tally.tag("maxDuration", params.get("maxDuration"));
    tally.range(params.get("start"), params.get("end"));
    String filter = SPAN_FILTERS.stream()
        .filter(name -> params.all(name).stream().anyMatch(v -> !v.isEmpty())).findFirst().orElse(null);
    if (filter != null && service == null && !scope.everything()) {
      throw new QueryRefused(403, "a trace search by " + filter + " must name a service you may read: without one"
          + " Jaeger may match " + filter + " against the spans of every service");
    }
    return out;
  }

  /**
   * Applies {@code filter} to the {@code data} member of a Jaeger answer and fixes its total. With
   * {@code byId}, an empty result is null: the trace holds nothing the caller may see (404).
   */
  private static QueryPlan.AnswerFilter data(BiFunction<Object, QueryTally, JsonArray> filter, boolean byId) {
    return QueryPlan.decoded((json, scope, tally) -> {
      JsonObject answer = json instanceof JsonObject o ? o : new JsonObject();
      JsonArray kept = filter.apply(answer.getValue("data"), tally);
      if (byId && kept.isEmpty()) {
        return null;
      }
      return answer.copy().put("data", kept).put("total", kept.size());
    });
  }
}
