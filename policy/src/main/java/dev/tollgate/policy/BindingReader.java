package dev.tollgate.policy;

import dev.tollgate.config.ConfigNode;
import dev.tollgate.config.Suggestions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one entry of {@code bindings}, recording every problem at its path. Names in a binding are
 * only meaningful per issuer, so a binding says whose tokens it trusts: with one issuer configured
 * {@code issuers} may be left out and means that one; with more, every binding must name them.
 */
final class BindingReader {
  private static final String[] KEYS = {"role", "issuers", "users", "groups", "clients"};

  private final Set<String> issuers;

  /** {@code issuers}: the config's issuer names ({@code issuers[].name}), in config order. */
  BindingReader(Set<String> issuers) {
    this.issuers = issuers;
  }

  Binding read(ConfigNode node, String where, Map<String, Role> roles) {
    node.allowOnly(KEYS);
    ConfigNode roleNode = node.get("role");
    String role = roleNode.string();
    if (role != null && !roles.containsKey(role)) {
      roleNode.error("unknown role \"" + role + "\"" + Suggestions.didYouMean(role, roles.keySet()));
    }
    Set<String> trusted = issuers(node.get("issuers"));
    List<String> users = names(node.get("users"));
    List<String> groups = names(node.get("groups"));
    List<String> clients = names(node.get("clients"));
    if (users.isEmpty() && groups.isEmpty() && clients.isEmpty()) {
      node.error("binds no one (add users, groups or clients)");
    }
    return new Binding(where, role, trusted, Set.copyOf(users), Set.copyOf(groups), Set.copyOf(clients));
  }

  private Set<String> issuers(ConfigNode node) {
    if (node.isMissing()) {
      if (issuers.size() == 1) {
        return issuers;
      }
      node.error("is required when Tollgate trusts more than one issuer, as the same user, client or"
          + " group name can belong to different callers at each; add issuers: [" + issuers.iterator().next()
          + "] (configured: " + String.join(", ", issuers) + ")");
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    boolean bad = false;
    for (String name : node.strings()) {
      if (issuers.contains(name)) {
        out.add(name);
      } else {
        String close = Suggestions.didYouMean(name, issuers);
        node.error("unknown issuer \"" + name + "\""
            + (close.isEmpty() ? " (configured: " + String.join(", ", issuers) + ")" : close)
            + "; use the issuer's name from the config, not its URL");
        bad = true;
      }
    }
    if (out.isEmpty() && !bad) {
      node.error("must name at least one issuer (configured: " + String.join(", ", issuers) + ")");
    }
    return out;
  }

  private static List<String> names(ConfigNode node) {
    List<String> out = node.strings();
    if (out.stream().anyMatch(String::isBlank)) {
      node.error("names must not be empty");
    }
    return out;
  }
}
