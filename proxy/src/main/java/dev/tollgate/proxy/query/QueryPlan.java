package dev.tollgate.proxy.query;

/**
 * What Tollgate sends for one checked query, and how it filters the answer.
 *
 * @param pathAndQuery the backend path and Tollgate's own encoding of the checked parameters
 * @param filter applied to the backend's decoded JSON answer
 * @param byId whether the query fetches one trace, so an answer with nothing permitted is a 404
 */
record QueryPlan(String pathAndQuery, AnswerFilter filter, boolean byId) {

  /**
   * Narrows a backend's JSON answer to what the caller may see. Runs off the event loop for large
   * answers; costs one pass over the decoded answer.
   */
  @FunctionalInterface
  interface AnswerFilter {
    /** The filtered answer, or null when nothing in it may be seen. */
    Object apply(Object json, TraceScope scope, QueryTally tally);
  }

  /** Answers passed through as the backend sent them: nothing in them names a service. */
  static AnswerFilter unfiltered() {
    return (json, scope, tally) -> json;
  }
}
