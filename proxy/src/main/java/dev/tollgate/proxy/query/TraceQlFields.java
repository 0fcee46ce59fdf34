package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Quoted;
import java.util.Set;

/**
 * The fields a scoped TraceQL query may name: those of the span a condition is evaluated on (its
 * span, resource, event, link and instrumentation attributes and its own intrinsics). A field that
 * describes other spans of the trace (its parent, its root, the trace's duration, the span's place
 * in the tree) is refused: a condition on it answers a yes/no question about spans that may belong
 * to services the caller may not read.
 */
final class TraceQlFields {
  private static final Set<String> ATTRIBUTE_SCOPES = Set.of(".", "span.", "resource.", "event.", "link.",
      "instrumentation.");
  private static final Set<String> INTRINSICS = Set.of("name", "status", "statusMessage", "kind", "duration",
      "span:name", "span:status", "span:statusMessage", "span:kind", "span:duration", "span:id", "event:name",
      "event:timeSinceStart", "link:traceID", "link:spanID", "instrumentation:name", "instrumentation:version");
  private static final Set<String> OTHER_SPANS = Set.of("parent", "rootName", "rootServiceName", "traceDuration",
      "nestedSetLeft", "nestedSetRight", "nestedSetParent", "childCount", "span:childCount", "span:parentID");

  private TraceQlFields() {}

  /** Null when {@code field} (an attribute or a word) reads only the span itself, else why it is refused. */
  static String refusal(String field) {
    if (INTRINSICS.contains(field)) {
      return null;
    }
    int dot = field.indexOf('.');
    if (dot >= 0 && ATTRIBUTE_SCOPES.contains(field.substring(0, dot + 1))) {
      return null;
    }
    if (field.startsWith("parent.") || field.startsWith("trace:") || OTHER_SPANS.contains(field)) {
      return Quoted.of(field) + " describes other spans of the trace, which may belong to services you may not read";
    }
    return "it names " + Quoted.of(field) + ", which Tollgate does not know as a field of the span itself";
  }
}
