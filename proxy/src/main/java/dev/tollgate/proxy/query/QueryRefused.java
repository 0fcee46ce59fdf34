package dev.tollgate.proxy.query;

import dev.tollgate.policy.Decision;

/**
 * A query Tollgate will not send: malformed (400), naming a service or a path the caller may not
 * read (403), or for nothing the caller may see (404). The reason is one line, fit for the answer.
 */
final class QueryRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient Decision decision;

  QueryRefused(int status, String reason) {
    this(status, reason, null);
  }

  /** A refusal that a policy decision explains; the decision goes into the audit event. */
  QueryRefused(int status, String reason, Decision decision) {
    // Callers can provoke this on every request: no stack trace.
    super(reason, null, false, false);
    this.status = status;
    this.decision = decision;
  }

  int status() {
    return status;
  }

  /** The decision behind a 403 for a service, or null. */
  Decision decision() {
    return decision;
  }
}
