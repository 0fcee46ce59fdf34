package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Quoted;
import java.util.regex.Pattern;

/**
 * Values taken from a query path (trace ids, service and tag names): decoded once, strictly, and
 * refused when they could turn into path structure at the backend.
 */
final class PathParams {
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{1,32}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:-]{1,256}");

  private PathParams() {}

  /** A hex trace id in lower case; refuses (400) anything else. */
  static String traceId(String raw) {
    if (!TRACE_ID.matcher(raw).matches()) {
      throw new QueryRefused(400, "trace id " + Quoted.of(raw) + " is not 1 to 32 hex digits");
    }
    return raw.toLowerCase(java.util.Locale.ROOT);
  }

  /** A tag or attribute name; refuses (400) anything but letters, digits and {@code _.:-}. */
  static String tag(String raw) {
    if (!TAG.matcher(raw).matches()) {
      throw new QueryRefused(400, "tag name " + Quoted.of(raw) + " has characters other than letters, digits and _.:-");
    }
    return raw;
  }

  /**
   * A service name from one path segment, percent-decoded once. Refuses (400) names that decode to
   * a slash, a backslash, a control character, {@code .} or {@code ..}: no backend can have such a
   * service behind a path segment, and some decode {@code %2F} before routing.
   */
  static String service(String raw) {
    String s = QueryParams.parse("s=" + raw.replace("+", "%2B")).get("s");
    if (s.isEmpty() || s.equals(".") || s.equals("..") || s.chars().anyMatch(c -> c == '/' || c == '\\' || c < 0x20)) {
      throw new QueryRefused(400, "service name " + Quoted.of(s) + " cannot be used in a path");
    }
    return s;
  }

  /** The part of {@code path} after {@code prefix} when it is a single segment, else null. */
  static String lastSegment(String path, String prefix) {
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return null;
    }
    String rest = path.substring(prefix.length());
    return rest.indexOf('/') < 0 ? rest : null;
  }
}
