package dev.tollgate.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
  private final GrantRules shared;
  private final Decision noService;
  // Built on first use, once per grant. Racy but benign, as Decisions are immutable and any thread
  // builds an equal value.
  private Decision overall;

  Grant(Identity who, Action action, String project, Signal signal, Decision noService, GrantRules shared) {
    this.who = who;
    this.action = action;
    this.project = project;
    this.signal = signal;
    this.version = noService.policyVersion();
    this.noService = noService;
    this.shared = shared;
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
    for (Rule rule : shared.denies) {
      if (rule.services().matches(serviceName)) {
        return rule.decision();
      }
    }
    for (Rule rule : shared.allows) {
      if (rule.services().matches(serviceName)) {
        return rule.decision();
      }
    }
    if (shared.allows.length == 0) {
      return overall();
    }
    return Decision.deny(
        Decision.DEFAULT_DENY, "service \"" + serviceName + "\" is not in " + shared.roleList(), version);
  }

  /**
   * False when no service at all can be allowed here (no allow rule applies, or a deny covers
   * {@code *}), so the request can be refused before its payload is read. True means some service
   * may pass, not that every one will. Costs a few array reads.
   */
  public boolean allowsAny() {
    return shared.allows.length > 0 && denyAll() == null;
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
    return new ServiceScope(this, patterns(shared.allows), patterns(shared.denies));
  }

  private Decision buildOverall() {
    Rule denyAll = denyAll();
    if (denyAll != null) {
      return denyAll.decision();
    }
    if (shared.allows.length == 0) {
      return Decision.deny(
          Decision.DEFAULT_DENY, "no role of " + who.describe() + " grants " + question(), version);
    }
    // The allow names no caller, so every grant of the same roles and question shares it.
    Decision allow = shared.allow;
    if (allow == null) {
      allow = Decision.allow(shared.allows[0].name(), shared.roleList() + " grant " + question(), version);
      shared.allow = allow;
    }
    return allow;
  }

  private String question() {
    return action.id() + " on project \"" + project + "\" signal " + signal.id();
  }

  private Rule denyAll() {
    for (Rule rule : shared.denies) {
      if (rule.services().matchesEverything()) {
        return rule;
      }
    }
    return null;
  }

  private static List<String> patterns(Rule[] rules) {
    Set<String> out = new LinkedHashSet<>();
    for (Rule rule : rules) {
      out.addAll(rule.services().patterns());
    }
    return List.copyOf(out);
  }
}
