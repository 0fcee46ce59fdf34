package dev.tollgate.policy;

import java.util.Objects;

/**
 * One authorization answer, as audited: whether it is allowed, the rule that decided it (such as
 * {@code role shop-writer rules[0]} or {@value #DEFAULT_DENY}), one human line saying why, and the
 * version of the policy that answered. Holds no secrets.
 */
public record Decision(boolean allowed, String rule, String reason, String policyVersion) {
  /** The rule named when nothing allowed the request. */
  public static final String DEFAULT_DENY = "default-deny";

  public Decision {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(policyVersion, "policyVersion");
  }

  /** An allow decided by {@code rule}. */
  public static Decision allow(String rule, String reason, String policyVersion) {
    return new Decision(true, rule, reason, policyVersion);
  }

  /** A deny decided by {@code rule} ({@value #DEFAULT_DENY} when no rule matched). */
  public static Decision deny(String rule, String reason, String policyVersion) {
    return new Decision(false, rule, reason, policyVersion);
  }
}
