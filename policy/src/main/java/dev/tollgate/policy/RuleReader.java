package dev.tollgate.policy;

import dev.tollgate.config.ConfigNode;
import dev.tollgate.config.Suggestions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads one entry of a role's {@code rules}, recording every problem at its path. */
final class RuleReader {
  private static final List<String> KEYS = List.of("actions", "projects", "signals", "services", "effect");
  private static final List<String> ACTIONS = Arrays.stream(Action.values()).map(Action::id).toList();
  private static final List<String> SIGNALS = Arrays.stream(Signal.values()).map(Signal::id).toList();
  private static final List<String> EFFECTS = List.of("allow", "deny");

  private final Set<String> projects;
  private final String policyVersion;

  RuleReader(Set<String> projects, String policyVersion) {
    this.projects = projects;
    this.policyVersion = policyVersion;
  }

  Rule read(ConfigNode node, String role, int index) {
    node.allowOnly(KEYS.toArray(new String[0]));
    return new Rule(
        role,
        index,
        actions(node.get("actions")),
        projects(node.get("projects")),
        signals(node.get("signals")),
        services(node.get("services")),
        denies(node.get("effect")),
        policyVersion);
  }

  private Set<Action> actions(ConfigNode node) {
    Set<Action> out = EnumSet.noneOf(Action.class);
    if (node.isMissing()) {
      node.error("is required (write, read or both)");
      return out;
    }
    boolean bad = false;
    for (String name : node.strings()) {
      Action a = Action.parse(name);
      if (a == null) {
        node.error("unknown action \"" + name + "\"" + hint(name, ACTIONS));
        bad = true;
      } else {
        out.add(a);
      }
    }
    if (out.isEmpty() && !bad) {
      node.error("must name at least one action (write, read)");
    }
    return out;
  }

  private Set<String> projects(ConfigNode node) {
    Set<String> out = new LinkedHashSet<>();
    if (node.isMissing()) {
      node.error("is required (project names, or \"*\" for every project)");
      return out;
    }
    boolean bad = false;
    for (String name : node.strings()) {
      if (name.equals(Rule.ALL_PROJECTS) || projects.contains(name)) {
        out.add(name);
      } else {
        node.error("unknown project \"" + name + "\"" + Suggestions.didYouMean(name, projects));
        bad = true;
      }
    }
    if (out.isEmpty() && !bad) {
      node.error("must name at least one project (or \"*\" for every project)");
    }
    return out;
  }

  private Set<Signal> signals(ConfigNode node) {
    if (node.isMissing()) {
      return EnumSet.allOf(Signal.class);
    }
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    boolean bad = false;
    for (String name : node.strings()) {
      Signal s = Signal.parse(name);
      if (s == null) {
        node.error("unknown signal \"" + name + "\"" + hint(name, SIGNALS));
        bad = true;
      } else {
        out.add(s);
      }
    }
    if (out.isEmpty() && !bad) {
      node.error("must name at least one signal (leave it out for all of them)");
    }
    return out;
  }

  private List<String> services(ConfigNode node) {
    if (node.isMissing()) {
      return List.of("*");
    }
    List<String> out = node.strings().stream().distinct().collect(Collectors.toList());
    for (String pattern : out) {
      if (pattern.isBlank()) {
        node.error("empty service pattern (use \"*\" for every service)");
      }
    }
    if (out.isEmpty()) {
      node.error("must list at least one service pattern (leave it out for every service)");
    }
    return out;
  }

  private boolean denies(ConfigNode node) {
    String effect = node.string("allow");
    if (effect != null && !EFFECTS.contains(effect)) {
      node.error("unknown effect \"" + effect + "\"" + hint(effect, EFFECTS));
    }
    return "deny".equals(effect);
  }

  /** The did-you-mean hint when one is close, else the list of valid values. */
  private static String hint(String given, List<String> valid) {
    String close = Suggestions.didYouMean(given, valid);
    return close.isEmpty() ? " (use " + String.join(", ", valid) + ")" : close;
  }
}
