package dev.tollgate.policy;

import java.util.Set;

/**
 * Gives {@code role} to the listed users (token subjects), groups and clients. {@code where} is
 * {@code file: bindings[i]}, so explain can point at the line to change.
 */
record Binding(String where, String role, Set<String> users, Set<String> groups, Set<String> clients) {
  Binding {
    users = Set.copyOf(users);
    groups = Set.copyOf(groups);
    clients = Set.copyOf(clients);
  }

  /** What in {@code who} this binding matches, such as {@code group "shop-team"}; null if nothing. */
  String matchedBy(Identity who) {
    if (who.subject() != null && users.contains(who.subject())) {
      return "user \"" + who.subject() + "\"";
    }
    if (who.clientId() != null && clients.contains(who.clientId())) {
      return "client \"" + who.clientId() + "\"";
    }
    for (String group : who.groups()) {
      if (groups.contains(group)) {
        return "group \"" + group + "\"";
      }
    }
    return null;
  }
}
