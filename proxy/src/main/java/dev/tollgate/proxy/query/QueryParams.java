package dev.tollgate.proxy.query;

import dev.tollgate.proxy.web.Quoted;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's query string, decoded strictly and only once. Tollgate never forwards the caller's raw
 * query: it checks these values and sends its own encoding of them, so the backend reads exactly
 * what was authorized (no double decoding, no {@code ;} separators, no parameter a backend knows
 * and Tollgate does not).
 */
final class QueryParams {
  private static final int MAX_PARAMS = 64;
  private static final int MAX_LENGTH = 16 * 1024;
  private final Map<String, List<String>> values;

  private QueryParams(Map<String, List<String>> values) {
    this.values = values;
  }

  /**
   * Decodes {@code raw} (the part after {@code ?}, or null). Costs one pass over at most 16 KiB.
   *
   * @throws QueryRefused (400) for a bad escape, invalid UTF-8, or a query too long or with too
   *     many parameters
   */
  static QueryParams parse(String raw) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return new QueryParams(values);
    }
    if (raw.length() > MAX_LENGTH) {
      throw new QueryRefused(400, "query string longer than " + MAX_LENGTH + " characters");
    }
    int count = 0;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      if (++count > MAX_PARAMS) {
        throw new QueryRefused(400, "more than " + MAX_PARAMS + " query parameters");
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }
    return new QueryParams(values);
  }

  /** Refuses (400) a name outside {@code known}, and a repeated name outside {@code repeatable}. */
  QueryParams allowOnly(Set<String> known, Set<String> repeatable) {
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new QueryRefused(400, "unknown query parameter " + Quoted.of(e.getKey()) + " for this endpoint"
            + (known.isEmpty() ? " (it takes none)" : " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")"));
      }
      if (e.getValue().size() > 1 && !repeatable.contains(e.getKey())) {
        throw new QueryRefused(400, "query parameter " + Quoted.of(e.getKey()) + " given more than once");
      }
    }
    return this;
  }

  /** The value of {@code name}, or null when absent. */
  String get(String name) {
    List<String> v = values.get(name);
    return v == null ? null : v.get(0);
  }

  /** The value of {@code name}; refuses (400) when it is absent or empty. */
  String required(String name) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      throw new QueryRefused(400, "query parameter " + name + " is required");
    }
    return v;
  }

  /** Every value of {@code name}, in order; empty when absent. */
  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** This query with {@code name} set to {@code value} alone. */
  QueryParams with(String name, String value) {
    Map<String, List<String>> copy = new LinkedHashMap<>(values);
    copy.put(name, List.of(value));
    return new QueryParams(copy);
  }

  /** {@code ?a=b&c=d} in Tollgate's own encoding, or {@code ""} when there are no parameters. */
  String encode() {
    StringBuilder sb = new StringBuilder();
    values.forEach((name, list) -> list.forEach(v -> {
      sb.append(sb.length() == 0 ? '?' : '&');
      PathEncoding.append(sb, name);
      sb.append('=');
      PathEncoding.append(sb, v);
    }));
    return sb.toString();
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
        if (lo < 0) {
          throw new QueryRefused(400, "malformed %-escape in the query string");
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else if (c == '+') {
        bytes.put((byte) ' ');
      } else {
        bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    bytes.flip();
    return strictUtf8(bytes);
  }

  private static String strictUtf8(ByteBuffer bytes) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new QueryRefused(400, "query string is not valid UTF-8 once decoded");
    }
  }
}
