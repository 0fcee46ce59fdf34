package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Grafana Tempo's HTTP API. Searches take TraceQL ({@code q}); a query that cannot be proven to stay
 * inside the caller's services is refused, and every answer is filtered all the same.
 */
final class TempoQueries implements QueryBackend {
  private static final Set<String> RANGE = Set.of("start", "end");
  private static final Set<String> SEARCH = Set.of("q", "minDuration", "maxDuration", "limit", "start", "end", "spss");
  private static final Set<String> TAG_LISTING = Set.of("start", "end", "limit", "maxStaleValues");
  /** Tags whose values are service names, so their value listings can be filtered, not withheld. */
  private static final Set<String> SERVICE_TAGS = Set.of("service.name", "resource.service.name", "rootServiceName",
      "trace:rootService");

  @Override
  public QueryPlan plan(String path, QueryParams params, TraceScope scope, QueryTally tally) {
    String v1 = PathParams.lastSegment(path, "/api/traces/");
    String v2 = PathParams.lastSegment(path, "/api/v2/traces/");
    if (v1 != null || v2 != null) {
      params.allowOnly(RANGE, Set.of());
      tally.range(params.get("start"), params.get("end"));
      String id = PathParams.traceId(v1 != null ? v1 : v2);
      String base = v1 != null ? "/api/traces/" : "/api/v2/traces/";
      return new QueryPlan(base + id + params.encode(), QueryPlan.decoded((json, s, t) -> TempoTraces.byId(json, v1 != null, id, s, t)),
          true);
    }
    String tag = tagOf(path);
    if (tag != null) {
      params.allowOnly(TAG_LISTING, Set.of());
      String name = PathParams.tag(tag);
      tally.tag("tag", name);
      QueryPlan.AnswerFilter filter = SERVICE_TAGS.contains(name)
          ? QueryPlan.decoded((json, s, t) -> serviceValues(json, s)) : Withheld.unlessEverything("tagValues");
      return new QueryPlan("/api/search/tag/" + name + "/values" + params.encode(), filter, false);
    }
    switch (path) {
      case "/api/search":
        return search(params, scope, tally);
      case "/api/search/tags":
        params.allowOnly(Set.of("scope", "start", "end", "limit", "maxStaleValues"), Set.of());
        return new QueryPlan(path + params.encode(), QueryPlan.unfiltered(), false);
      default:
        throw QueryBackend.unknownPath("tempo", path);
    }
  }

  private static QueryPlan search(QueryParams params, TraceScope scope, QueryTally tally) {
    if (params.get("tags") != null) {
      throw new QueryRefused(400, "tag-based search (tags=) is not served: its values match as substrings, so no"
          + " service scope can be proven; use q with TraceQL");
    }
    params.allowOnly(SEARCH, Set.of());
    String q = params.get("q");
    boolean proven = false;
    if (q != null && !q.isBlank()) {
      tally.traceQl(q);
      String unproven = TraceQlScope.unprovenReason(q, scope, tally);
      if (unproven != null && !scope.everything()) {
        throw new QueryRefused(403, "TraceQL query refused: " + unproven + ". Every spanset filter must require"
            + " resource.service.name = \"<a service you may read>\" and name only fields of the span itself;"
            + " after | only select(...), by(...) and count() are served");
      }
      proven = unproven == null;
    }
    tally.tag("minDuration", params.get("minDuration"));
    tally.tag("maxDuration", params.get("maxDuration"));
    tally.range(params.get("start"), params.get("end"));
    String duration = params.get("minDuration") != null ? "minDuration" : params.get("maxDuration") != null
        ? "maxDuration" : null;
    if (duration != null && !scope.everything()) {
      throw new QueryRefused(403, duration + " is served only to callers who may read every service: Tempo applies"
          + " it to whole traces, spans of other services included. Put the condition in a scoped filter instead:"
          + " q={ resource.service.name = \"<a service you may read>\" && duration > 2s }");
    }
    boolean scoped = proven;
    return new QueryPlan("/api/search" + params.encode(), QueryPlan.decoded((json, s, t) -> TempoSearch.results(json, scoped, s, t)),
        false);
  }

  /** The tag of {@code /api/search/tag/{tag}/values}, or null. */
  private static String tagOf(String path) {
    String suffix = "/values";
    if (!path.startsWith("/api/search/tag/") || !path.endsWith(suffix)) {
      return null;
    }
    return PathParams.lastSegment(path.substring(0, path.length() - suffix.length()), "/api/search/tag/");
  }

  private static Object serviceValues(Object json, TraceScope scope) {
    JsonObject answer = json instanceof JsonObject o ? o : new JsonObject();
    return answer.copy().put("tagValues", Listings.services(answer.getValue("tagValues"), scope));
  }
}
