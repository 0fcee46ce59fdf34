package dev.tollgate.proxy.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Filters for answers that list services or service-to-service links. */
final class Listings {
  private Listings() {}

  /** The strings of {@code list} that name permitted services; anything else is dropped. */
  static JsonArray services(Object list, TraceScope scope) {
    JsonArray out = new JsonArray();
    if (list instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof String s && scope.permits(s)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /**
   * The dependency links of {@code list} whose parent and child are both permitted: a link names
   * two services, and one forbidden end is enough to hide it.
   */
  static JsonArray links(Object list, TraceScope scope) {
    JsonArray out = new JsonArray();
    if (list instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof JsonObject link && scope.permits(text(link.getValue("parent")))
            && scope.permits(text(link.getValue("child")))) {
          out.add(link);
        }
      }
    }
    return out;
  }

  /** {@code o} when it is a string, else null: a non-string service name is never permitted. */
  static String text(Object o) {
    return o instanceof String s ? s : null;
  }

  /** A new object with only {@code fields} of {@code from}: what a redacted span keeps. */
  static JsonObject only(Object from, String[] fields) {
    JsonObject out = new JsonObject();
    if (from instanceof JsonObject o) {
      for (String field : fields) {
        Object v = o.getValue(field);
        if (v != null) {
          out.put(field, v);
        }
      }
    }
    return out;
  }
}
