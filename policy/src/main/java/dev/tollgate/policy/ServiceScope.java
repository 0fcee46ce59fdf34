package dev.tollgate.policy;

import java.util.List;

/**
 * The services a {@link Grant} lets through, as patterns (globs: {@code *} any run, {@code ?} one
 * character, all else literal) for the query side to scope requests and filter responses. A
 * service is permitted when it matches an allowed pattern and no denied one.
 */
public final class ServiceScope {
  private final Grant grant;
  private final List<String> allowed;
  private final List<String> denied;

  ServiceScope(Grant grant, List<String> allowed, List<String> denied) {
    this.grant = grant;
    this.allowed = allowed;
    this.denied = denied;
  }

  /** Whether {@code service} may be seen; same answer as {@link Grant#decide}, same cost. */
  public boolean permits(String service) {
    return grant.decide(service).allowed();
  }

  /** The allowed patterns, de-duplicated, in policy order; empty when nothing is allowed. */
  public List<String> allowedPatterns() {
    return allowed;
  }

  /** The denied patterns, which win over {@link #allowedPatterns()}. */
  public List<String> deniedPatterns() {
    return denied;
  }

  /** True when every named service is permitted, so no scoping or filtering is needed. */
  public boolean permitsEverything() {
    return denied.isEmpty() && allowed.stream().anyMatch(p -> ServicePattern.compile(p).kind() == ServicePattern.Kind.ANY);
  }
}
