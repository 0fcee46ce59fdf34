package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Answers that list values (tag values, autocomplete values) which a backend cannot attribute to a
 * service: they are passed on only to callers who may read every service of the project, and
 * everyone else gets the same shape, empty.
 */
final class Withheld {
  private Withheld() {}

  /** For answers that are a bare list. */
  static QueryPlan.AnswerFilter unlessEverything() {
    return QueryPlan.decoded((json, scope, tally) -> scope.everything() ? json : new JsonArray());
  }

  /** For answers that hold their list in the member {@code field}. */
  static QueryPlan.AnswerFilter unlessEverything(String field) {
    return QueryPlan.decoded(
        (json, scope, tally) -> scope.everything() ? json : new JsonObject().put(field, new JsonArray()));
  }
}
