package dev.tollgate.auth;

import dev.tollgate.config.ClaimMapping;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads who the caller is out of verified claims, following an issuer's {@link ClaimMapping}.
 *
 * <p>Paths are dotted ({@code realm_access.roles}) but a claim whose own name contains dots
 * ({@code https://example.com/groups}, as Auth0 requires) is matched literally first, so both
 * spellings work without an escape syntax.
 */
final class ClaimReader {
  private final ClaimMapping mapping;

  ClaimReader(ClaimMapping mapping) {
    this.mapping = mapping == null ? ClaimMapping.DEFAULT : mapping;
  }

  /** The subject, or null when the claim is missing, blank or not a string. */
  String subject(Map<String, Object> claims) {
    return nonBlankString(find(claims, mapping.subject()));
  }

  /** The first client-id path that holds a non-blank string, or null. */
  String clientId(Map<String, Object> claims) {
    for (String path : mapping.clientId()) {
      String value = nonBlankString(find(claims, path));
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** Union of every group path: a string is one group, an array contributes its strings, the rest is ignored. */
  Set<String> groups(Map<String, Object> claims) {
    Set<String> groups = new LinkedHashSet<>();
    for (String path : mapping.groups()) {
      Object value = find(claims, path);
      if (value instanceof String s && !s.isBlank()) {
        groups.add(s);
      } else if (value instanceof List<?> list) {
        for (Object item : list) {
          if (item instanceof String s && !s.isBlank()) {
            groups.add(s);
          }
        }
      }
    }
    return groups;
  }

  /** The value at a dotted path through nested JSON objects, or null when any step is missing. */
  static Object find(Map<?, ?> node, String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    Object literal = node.get(path);
    if (literal != null) {
      return literal;
    }
    for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
      if (node.get(path.substring(0, dot)) instanceof Map<?, ?> child) {
        Object value = find(child, path.substring(dot + 1));
        if (value != null) {
          return value;
        }
      }
    }
    return null;
  }

  private static String nonBlankString(Object value) {
    return value instanceof String s && !s.isBlank() ? s : null;
  }
}
