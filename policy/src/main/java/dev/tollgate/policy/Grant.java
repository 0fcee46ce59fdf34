package dev.tollgate.policy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one caller may do for one action, project and signal: the rules of its roles that apply,
 * split into denies and allows. Take one per request and ask it about every resource. Immutable
 * and safe to share between threads.
 */
public final class Grant {
  private final Identity who;
  private final Action action;
  private final String project;
  private final Signal signal;
  private final String version;
  private final Rule[] denies;
  private final Rule[] allows;
  private final Decision noService;
  // Built on first use: most requests are allowed and never need a deny reason. Racy but benign,
  // as Strings and Decisions are immutable and any thread builds an equal value.
  private String notInScope;
  private Decision overall;

  Grant(Identity who, Action action, String project, Signal signal, Decision noService,
      Rule[] denies, Rule[] allows) {
    this.who = who;
    this.action = action;
    this.project = project;
    this.signal = signal;
    this.version = noService.policyVersion();
    this.noService = noService;
    this.denies = denies;
    this.allows = allows;
  }

  /**
   * Whether a resource of {@code serviceName} may pass: a matching deny wins over every allow, then
   * the first matching allow decides, else it is denied by default. A {@code null} name is denied.
   * Allows and rule denies return shared objects; only a default deny builds its reason string.
   */
  public Decision decide(String serviceName) {
    if (serviceName == null) {
      return noService;
    }
    for (Rule rule : denies) {
      if (rule.services().matches(serviceName)) {
        return rule.decision();
      }
    }
    for (Rule rule : allows) {
      if (rule.services().matches(serviceName)) {
        return rule.decision();
      }
    }
    if (allows.length == 0) {
      return overall();
    }
    return Decision.deny(
        Decision.DEFAULT_DENY, "service \"" + serviceName + "\" is not in " + notInScope(), version);
  }

  /**
   * False when no service at all can be allowed here (no allow rule applies, or a deny covers
   * {@code *}), so the request can be refused before its payload is read. True means some service
   * may pass, not that every one will. Costs a few array reads.
   */
  public boolean allowsAny() {
    return allows.length > 0 && denyAll() == null;
  }

  /**
   * The answer for the request as a whole: allowed when {@link #allowsAny()} is, naming the first
   * allowing rule; else denied by the rule that denies everything or by {@value
   * Decision#DEFAULT_DENY}. Built once per grant.
   */
  public Decision overall() {
    Decision d = overall;
    if (d == null) {
      d = buildOverall();
      overall = d;
    }
    return d;
  }

  /**
   * The allowed and denied service patterns, for the query side to scope and filter what it reads.
   * Allocates a small view per call.
   */
  public ServiceScope scope() {
    return new ServiceScope(this, patterns(allows), patterns(denies));
  }

  private Decision buildOverall() {
    Rule denyAll = denyAll();
    if (denyAll != null) {
      return denyAll.decision();
    }
    String question = action.id() + " on project \"" + project + "\" signal " + signal.id();
    if (allows.length == 0) {
      return Decision.deny(
          Decision.DEFAULT_DENY, "no role of " + who.describe() + " grants " + question, version);
    }
    return Decision.allow(allows[0].name(), roleList() + " grant " + question, version);
  }

  private Rule denyAll() {
    for (Rule rule : denies) {
      if (rule.services().matchesEverything()) {
        return rule;
      }
    }
    return null;
  }

  private String notInScope() {
    String s = notInScope;
    if (s == null) {
      s = roleList();
      notInScope = s;
    }
    return s;
  }

  /** {@code roles shop-writer (shop-*, checkout), ops (cart)}: the allowing roles and patterns. */
  private String roleList() {
    Map<String, Set<String>> byRole = new LinkedHashMap<>();
    for (Rule rule : allows) {
      byRole.computeIfAbsent(rule.role(), k -> new LinkedHashSet<>()).addAll(rule.services().patterns());
    }
    return "roles "
        + byRole.entrySet().stream()
            .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
            .collect(Collectors.joining(", "));
  }

  private static List<String> patterns(Rule[] rules) {
    Set<String> out = new LinkedHashSet<>();
    for (Rule rule : rules) {
      out.addAll(rule.services().patterns());
    }
    return List.copyOf(out);
  }
}
