package dev.tollgate.policy;

import java.util.Set;

/**
 * Who is asking, as the policy sees it: the token subject (matched by bindings' {@code users}), the
 * OAuth client id ({@code clients}) and the groups or roles claimed ({@code groups}). Subject and
 * client id may be {@code null}; groups are never {@code null} and must not contain {@code null}.
 */
public record Identity(String subject, String clientId, Set<String> groups) {
  public Identity {
    groups = groups == null ? Set.of() : Set.copyOf(groups);
  }

  /** A person or workload known by its subject, with the given groups. */
  public static Identity user(String subject, String... groups) {
    return new Identity(subject, null, Set.of(groups));
  }

  /** A workload known only by its OAuth client id. */
  public static Identity client(String clientId) {
    return new Identity(null, clientId, Set.of());
  }

  /** How reasons name the caller: by client for workloads, by subject for people. */
  String describe() {
    if (subject != null && clientId != null && !subject.equals(clientId)) {
      return "user \"" + subject + "\" (client \"" + clientId + "\")";
    }
    if (clientId != null) {
      return "client \"" + clientId + "\"";
    }
    if (subject != null) {
      return "user \"" + subject + "\"";
    }
    return "anonymous caller";
  }
}
