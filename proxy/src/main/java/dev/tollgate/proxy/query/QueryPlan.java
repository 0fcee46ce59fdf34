package dev.tollgate.proxy.query;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

/**
 * What Tollgate sends for one checked query, and how it filters the answer.
 *
 * @param pathAndQuery the backend path and Tollgate's own encoding of the checked parameters
 * @param filter applied to the backend's answer
 * @param byId whether the query fetches one trace, so an answer with nothing permitted is a 404
 */
record QueryPlan(String pathAndQuery, AnswerFilter filter, boolean byId) {

  /**
   * Narrows a backend's answer to what the caller may see. Runs off the event loop for large
   * answers. Throws {@link io.vertx.core.json.DecodeException} or {@link
   * dev.tollgate.proxy.ingest.MalformedPayloadException} for an answer it cannot read.
   */
  @FunctionalInterface
  interface AnswerFilter {
    /** The filtered answer, or null when nothing in it may be seen. */
    Buffer apply(Buffer answer, TraceScope scope, QueryTally tally);
  }

  /** A filter over the decoded JSON answer: one pass over the decoded tree. */
  @FunctionalInterface
  interface TreeFilter {
    /** The filtered answer, or null when nothing in it may be seen. */
    Object apply(Object json, TraceScope scope, QueryTally tally);
  }

  /** {@code filter} applied to the decoded answer, its result encoded again. */
  static AnswerFilter decoded(TreeFilter filter) {
    return (answer, scope, tally) -> {
      Object out = filter.apply(Json.decodeValue(answer), scope, tally);
      return out == null ? null : Json.encodeToBuffer(out);
    };
  }

  /** Answers passed through as the backend sent them, once read as JSON: nothing in them names a service. */
  static AnswerFilter unfiltered() {
    return decoded((json, scope, tally) -> json);
  }
}
