package dev.tollgate.proxy.query;

import dev.tollgate.policy.Decision;
import dev.tollgate.policy.Grant;
import dev.tollgate.policy.ServiceScope;
import java.util.Locale;

/**
 * The services one caller may read in one project, as a backend names them, and what happens to the
 * spans of the others. Zipkin lower-cases every service name it stores and queries, so for Zipkin a
 * name is decided the way Zipkin will read it.
 */
final class TraceScope {
  private final Grant grant;
  private final ServiceScope services;
  private final boolean foldCase;
  private final boolean redact;

  TraceScope(Grant grant, boolean foldCase, boolean redact) {
    this.grant = grant;
    this.services = grant.scope();
    this.foldCase = foldCase;
    this.redact = redact;
  }

  /** The service name as the backend reads it. */
  String normalize(String service) {
    return foldCase ? service.toLowerCase(Locale.ROOT) : service;
  }

  /** Whether spans of {@code service} may be seen; a missing name is never permitted. */
  boolean permits(String service) {
    return service != null && services.permits(normalize(service));
  }

  /** Whether every service is permitted, so nothing needs proving or withholding. */
  boolean everything() {
    return services.permitsEverything();
  }

  /** Whether forbidden spans are kept as blanked placeholders rather than removed. */
  boolean redact() {
    return redact;
  }

  /**
   * Checks a service the query names; returns it as the backend reads it. Records it in the tally.
   *
   * @throws QueryRefused 403 with the policy's reason when the caller may not read it
   */
  String require(String service, QueryTally tally) {
    String name = normalize(service);
    tally.service(name);
    Decision d = grant.decide(name);
    if (!d.allowed()) {
      throw new QueryRefused(403, d.reason(), d);
    }
    return name;
  }
}
