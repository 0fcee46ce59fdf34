package dev.tollgate.policy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules of one set of roles that apply to one action, project and signal, split into denies
 * and allows, with the allowing roles and the allow decision built once. Shared by every {@link
 * Grant} that asks the same question with the same roles; immutable but for those two, which are
 * built on first use (racy but benign: any thread builds an equal value).
 */
final class GrantRules {
  /** The question a GrantRules answers. */
  record Key(Set<String> roles, Action action, String project, Signal signal) {}

  final Rule[] denies;
  final Rule[] allows;
  private String roleList;
  // The allow decision of these rules, built by the first grant that needs it (racy but benign:
  // every grant builds an equal value).
  Decision allow;

  GrantRules(Rule[] denies, Rule[] allows) {
    this.denies = denies;
    this.allows = allows;
  }

  /** {@code roles shop-writer (shop-*, checkout), ops (cart)}: the allowing roles and patterns. */
  String roleList() {
    String s = roleList;
    if (s == null) {
      Map<String, Set<String>> byRole = new LinkedHashMap<>();
      for (Rule rule : allows) {
        byRole.computeIfAbsent(rule.role(), k -> new LinkedHashSet<>()).addAll(rule.services().patterns());
      }
      s = "roles " + byRole.entrySet().stream()
          .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
          .collect(Collectors.joining(", "));
      roleList = s;
    }
    return s;
  }
}
