package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Quoted;
import dev.tollgate.config.Backend;

/**
 * One trace backend's query API: which paths Tollgate serves for it, how each query is checked
 * against the caller's services, and how each answer is filtered. A path not listed by a backend is
 * refused (403), never passed through.
 */
sealed interface QueryBackend permits ZipkinQueries, JaegerQueries, TempoQueries {

  /**
   * Checks one query and plans what to send; costs a look at the parameters (and, for Tempo, one
   * pass over the TraceQL text).
   *
   * @param path the path after any {@code /projects/{project}} prefix, as received (not decoded)
   * @throws QueryRefused when the query is malformed (400), names a service or path the caller may
   *     not read (403)
   */
  QueryPlan plan(String path, QueryParams params, TraceScope scope, QueryTally tally);

  /** Whether the backend lower-cases service names (Zipkin does). */
  default boolean foldsCase() {
    return false;
  }

  /** The adapter for a configured backend type. */
  static QueryBackend of(Backend backend) {
    return switch (backend) {
      case ZIPKIN -> new ZipkinQueries();
      case JAEGER -> new JaegerQueries();
      case TEMPO -> new TempoQueries();
      case OTLP -> throw new IllegalArgumentException("an OTLP upstream answers no queries");
    };
  }

  /** The refusal for a path this backend's adapter does not serve. */
  static QueryRefused unknownPath(String backend, String path) {
    return new QueryRefused(403, "Tollgate does not serve " + Quoted.of(path) + " for a " + backend
        + " backend; only its documented query paths are passed on");
  }
}
