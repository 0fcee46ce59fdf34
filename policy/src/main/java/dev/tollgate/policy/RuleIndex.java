package dev.tollgate.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every rule of every role, filed by action, signal and project at load, so a grant only looks at
 * the rules that can apply to its question. Rules stay in file order within each list, which keeps
 * reasons and explain output stable.
 */
final class RuleIndex {
  private static final Rule[] NONE = new Rule[0];
  private static final int SIGNALS = Signal.values().length;

  /** Indexed by {@link #slot}; maps a known project to its rules, wildcard rules included. */
  private final List<Map<String, Rule[]>> byProject = new ArrayList<>();
  /** Indexed by {@link #slot}; the {@code projects: ["*"]} rules, for projects not known at load. */
  private final List<Rule[]> wildcard = new ArrayList<>();

  RuleIndex(List<Role> roles, Set<String> projects) {
    for (Action action : Action.values()) {
      for (Signal signal : Signal.values()) {
        Map<String, Rule[]> perProject = new HashMap<>();
        for (String project : projects) {
          perProject.put(project, select(roles, action, project, signal));
        }
        byProject.add(Map.copyOf(perProject));
        wildcard.add(select(roles, action, null, signal));
      }
    }
  }

  /** The rules of any role that apply to this action, project and signal, in file order. */
  Rule[] candidates(Action action, String project, Signal signal) {
    int slot = slot(action, signal);
    Rule[] rules = project == null ? null : byProject.get(slot).get(project);
    return rules != null ? rules : wildcard.get(slot);
  }

  private static int slot(Action action, Signal signal) {
    return action.ordinal() * SIGNALS + signal.ordinal();
  }

  private static Rule[] select(List<Role> roles, Action action, String project, Signal signal) {
    List<Rule> out = new ArrayList<>();
    for (Role role : roles) {
      for (Rule rule : role.rules()) {
        boolean applies =
            project == null
                ? rule.coversAllProjects() && rule.appliesTo(action, "*", signal)
                : rule.appliesTo(action, project, signal);
        if (applies) {
          out.add(rule);
        }
      }
    }
    return out.isEmpty() ? NONE : out.toArray(NONE);
  }
}
