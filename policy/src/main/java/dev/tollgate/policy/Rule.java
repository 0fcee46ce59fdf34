package dev.tollgate.policy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One compiled rule of a role. Its decision is built at load, so deciding a service this rule
 * matches returns a shared object instead of formatting a reason per resource.
 */
final class Rule {
  /** The project wildcard in {@code projects}. */
  static final String ALL_PROJECTS = "*";

  private final String role;
  private final String name;
  private final Set<Action> actions;
  private final Set<String> projects;
  private final Set<Signal> signals;
  private final ServiceMatcher services;
  private final boolean deny;
  private final Decision decision;

  Rule(
      String role,
      int index,
      Set<Action> actions,
      Set<String> projects,
      Set<Signal> signals,
      List<String> services,
      boolean deny,
      String policyVersion) {
    this.role = role;
    this.name = "role " + role + " rules[" + index + "]";
    this.actions = Set.copyOf(actions);
    this.projects = Set.copyOf(projects);
    this.signals = Set.copyOf(signals);
    this.services = ServiceMatcher.of(services);
    this.deny = deny;
    String patterns = " (" + this.services.describe() + ")";
    this.decision =
        deny
            ? Decision.deny(name, "denied by " + name + patterns, policyVersion)
            : Decision.allow(name, "allowed by " + name + patterns, policyVersion);
  }

  String role() {
    return role;
  }

  /** How decisions and audit events name this rule: {@code role shop-writer rules[0]}. */
  String name() {
    return name;
  }

  boolean isDeny() {
    return deny;
  }

  Set<Action> actions() {
    return actions;
  }

  Set<Signal> signals() {
    return signals;
  }

  boolean coversAllProjects() {
    return projects.contains(ALL_PROJECTS);
  }

  Set<String> projects() {
    return projects;
  }

  ServiceMatcher services() {
    return services;
  }

  /** The decision this rule gives a service it matches. */
  Decision decision() {
    return decision;
  }

  boolean appliesTo(Action action, String project, Signal signal) {
    return actions.contains(action)
        && signals.contains(signal)
        && (coversAllProjects() || projects.contains(project));
  }

  /**
   * Why this rule does not match, or {@code null} when it does; a {@code null} service is left
   * out of the check. For explain only, so clarity beats speed here.
   */
  String mismatch(Action action, String project, Signal signal, String service) {
    if (!actions.contains(action)) {
      return "action " + action.id() + " is not in [" + ids(actions) + "]";
    }
    if (!coversAllProjects() && !projects.contains(project)) {
      return "project \"" + project + "\" is not in [" + sorted(projects) + "]";
    }
    if (!signals.contains(signal)) {
      return "signal " + signal.id() + " is not in [" + ids(signals) + "]";
    }
    if (service != null && !services.matches(service)) {
      return "service \"" + service + "\" does not match [" + services.describe() + "]";
    }
    return null;
  }

  /** The rule as a human reads it, for explain. */
  String describe() {
    return name
        + (deny ? " deny " : " allow ")
        + ids(actions)
        + " on projects ["
        + sorted(projects)
        + "] signals ["
        + ids(signals)
        + "] services ["
        + services.describe()
        + "]";
  }

  private static String ids(Set<? extends Enum<?>> values) {
    return values.stream()
        .sorted()
        .map(v -> v instanceof Action a ? a.id() : ((Signal) v).id())
        .collect(Collectors.joining(", "));
  }

  private static String sorted(Set<String> names) {
    return names.stream().sorted().collect(Collectors.joining(", "));
  }
}
