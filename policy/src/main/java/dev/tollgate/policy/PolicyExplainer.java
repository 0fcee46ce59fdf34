package dev.tollgate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Writes out, line by line, how a {@link Policy} reaches a decision, for operators. */
final class PolicyExplainer {
  private final Policy policy;
  private final Map<String, Role> roles;
  private final BindingIndex bindings;

  PolicyExplainer(Policy policy, Map<String, Role> roles, BindingIndex bindings) {
    this.policy = policy;
    this.roles = roles;
    this.bindings = bindings;
  }

  List<String> explain(Identity who, Action action, String project, Signal signal, String service) {
    List<String> lines = new ArrayList<>();
    lines.add("question: may " + who.describe() + groups(who) + " " + action.id() + " project \""
        + project + "\" signal " + signal.id()
        + (service == null ? "" : " service \"" + service + "\"") + "?");
    lines.add("policy: " + policy.version());
    Set<String> matchedRoles = explainBindings(who, lines);
    for (Role role : roles.values()) {
      if (matchedRoles.contains(role.name())) {
        explainRules(role, action, project, signal, service, lines);
      }
    }
    Grant grant = policy.grant(who, action, project, signal);
    Decision d = service == null ? grant.overall() : grant.decide(service);
    lines.add("decision: " + (d.allowed() ? "allow" : "deny") + " by " + d.rule() + ": " + d.reason());
    return lines;
  }

  private Set<String> explainBindings(Identity who, List<String> lines) {
    Set<String> matchedRoles = new TreeSet<>();
    int others = 0;
    for (Binding b : bindings.all()) {
      String by = b.matchedByName(who);
      if (by == null) {
        others++;
      } else if (!b.issuers().contains(who.issuer())) {
        lines.add("binding " + b.where() + " does not give role " + b.role() + ": " + by + " is bound for issuers ["
            + String.join(", ", new TreeSet<>(b.issuers())) + "], not " + who.issuer());
      } else {
        matchedRoles.add(b.role());
        lines.add("binding " + b.where() + " gives role " + b.role() + ": matches " + by + " of issuer "
            + who.issuer());
      }
    }
    if (matchedRoles.isEmpty()) {
      lines.add("no binding matches " + who.describe() + groups(who) + " (" + bindings.all().size() + " checked)");
    } else if (others > 0) {
      lines.add(others + " other binding(s) do not match");
    }
    lines.add("roles: " + (matchedRoles.isEmpty() ? "none" : String.join(", ", matchedRoles)));
    return matchedRoles;
  }

  private static void explainRules(
      Role role, Action action, String project, Signal signal, String service, List<String> lines) {
    for (Rule rule : role.rules()) {
      String mismatch = rule.mismatch(action, project, signal, service);
      lines.add(rule.describe() + ": " + (mismatch == null ? "matches" : "does not match, " + mismatch));
    }
  }

  private static String groups(Identity who) {
    return who.groups().isEmpty() ? "" : " (groups " + String.join(", ", new TreeSet<>(who.groups())) + ")";
  }
}
