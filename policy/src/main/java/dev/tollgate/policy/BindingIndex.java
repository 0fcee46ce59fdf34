package dev.tollgate.policy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bindings turned around into maps from user, client and group to role names, so finding a
 * caller's roles costs one lookup per claim instead of a scan over every binding.
 */
final class BindingIndex {
  private final List<Binding> bindings;
  private final Map<String, Set<String>> byUser;
  private final Map<String, Set<String>> byClient;
  private final Map<String, Set<String>> byGroup;

  BindingIndex(List<Binding> bindings) {
    this.bindings = List.copyOf(bindings);
    Map<String, Set<String>> users = new HashMap<>();
    Map<String, Set<String>> clients = new HashMap<>();
    Map<String, Set<String>> groups = new HashMap<>();
    for (Binding b : bindings) {
      b.users().forEach(u -> users.computeIfAbsent(u, k -> new HashSet<>()).add(b.role()));
      b.clients().forEach(c -> clients.computeIfAbsent(c, k -> new HashSet<>()).add(b.role()));
      b.groups().forEach(g -> groups.computeIfAbsent(g, k -> new HashSet<>()).add(b.role()));
    }
    this.byUser = freeze(users);
    this.byClient = freeze(clients);
    this.byGroup = freeze(groups);
  }

  /** The names of every role bound to {@code who}; empty when none. */
  Set<String> rolesFor(Identity who) {
    Set<String> roles = new HashSet<>();
    if (who.subject() != null) {
      roles.addAll(byUser.getOrDefault(who.subject(), Set.of()));
    }
    if (who.clientId() != null) {
      roles.addAll(byClient.getOrDefault(who.clientId(), Set.of()));
    }
    for (String group : who.groups()) {
      roles.addAll(byGroup.getOrDefault(group, Set.of()));
    }
    return roles;
  }

  /** Every binding, in file order, for explain. */
  List<Binding> all() {
    return bindings;
  }

  private static Map<String, Set<String>> freeze(Map<String, Set<String>> map) {
    Map<String, Set<String>> out = new HashMap<>();
    map.forEach((k, v) -> out.put(k, Set.copyOf(v)));
    return Map.copyOf(out);
  }
}
