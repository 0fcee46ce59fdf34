package dev.tollgate.policy;

import java.util.Set;

/**
 * Gives {@code role} to the listed users (token subjects), groups and clients of the listed
 * issuers (config names) only. {@code where} is {@code file: bindings[i]}, so explain can point at
 * the line to change.
 */
record Binding(String where, String role, Set<String> issuers, Set<String> users, Set<String> groups,
    Set<String> clients) {
  Binding {
    issuers = Set.copyOf(issuers);
    users = Set.copyOf(users);
    groups = Set.copyOf(groups);
    clients = Set.copyOf(clients);
  }

  /** What in {@code who} this binding matches, such as {@code group "shop-team"}; null if nothing. */
  String matchedBy(Identity who) {
    return issuers.contains(who.issuer()) ? matchedByName(who) : null;
  }

  /**
   * What in {@code who} the binding's names match, whatever the issuer; for explain to say why a
   * same-named caller of another issuer gets nothing.
   */
  String matchedByName(Identity who) {
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
