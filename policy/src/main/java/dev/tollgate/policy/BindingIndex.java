package dev.tollgate.policy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bindings turned around into maps from issuer, then user, client and group, to role names, so
 * finding a caller's roles costs one lookup for the issuer and one per claim instead of a scan over
 * every binding. A name bound for one issuer is unknown under every other.
 */
final class BindingIndex {
  /** One issuer's names; the maps are immutable once built. */
  private record Names(Map<String, Set<String>> users, Map<String, Set<String>> clients,
      Map<String, Set<String>> groups) {
    static Names empty() {
      return new Names(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    void add(Binding b) {
      b.users().forEach(u -> users.computeIfAbsent(u, k -> new HashSet<>()).add(b.role()));
      b.clients().forEach(c -> clients.computeIfAbsent(c, k -> new HashSet<>()).add(b.role()));
      b.groups().forEach(g -> groups.computeIfAbsent(g, k -> new HashSet<>()).add(b.role()));
    }

    Names freeze() {
      return new Names(frozen(users), frozen(clients), frozen(groups));
    }
  }

  private final List<Binding> bindings;
  private final Map<String, Names> byIssuer;

  BindingIndex(List<Binding> bindings) {
    this.bindings = List.copyOf(bindings);
    Map<String, Names> building = new HashMap<>();
    for (Binding b : bindings) {
      b.issuers().forEach(issuer -> building.computeIfAbsent(issuer, k -> Names.empty()).add(b));
    }
    Map<String, Names> out = new HashMap<>();
    building.forEach((issuer, names) -> out.put(issuer, names.freeze()));
    this.byIssuer = Map.copyOf(out);
  }

  /** The names of every role bound to {@code who} by its own issuer; empty when none. */
  Set<String> rolesFor(Identity who) {
    Names names = byIssuer.get(who.issuer());
    if (names == null) {
      return Set.of();
    }
    Set<String> roles = new HashSet<>();
    if (who.subject() != null) {
      roles.addAll(names.users().getOrDefault(who.subject(), Set.of()));
    }
    if (who.clientId() != null) {
      roles.addAll(names.clients().getOrDefault(who.clientId(), Set.of()));
    }
    for (String group : who.groups()) {
      roles.addAll(names.groups().getOrDefault(group, Set.of()));
    }
    return roles;
  }

  /** Every binding, in file order, for explain. */
  List<Binding> all() {
    return bindings;
  }

  private static Map<String, Set<String>> frozen(Map<String, Set<String>> map) {
    Map<String, Set<String>> out = new HashMap<>();
    map.forEach((k, v) -> out.put(k, Set.copyOf(v)));
    return Map.copyOf(out);
  }
}
