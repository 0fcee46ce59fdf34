package dev.tollgate.auth.upstream;

import dev.tollgate.auth.Caller;

/**
 * Whom Tollgate acts for when it calls an upstream: the verified caller, the caller's own token
 * (only for token exchange; it never goes upstream as such) and the project the request is for.
 * Any part may be null when the route has no caller.
 */
public record OnBehalfOf(Caller caller, String subjectToken, String project) {
  /** No caller: enough for static, client-credentials and minted-without-actor credentials. */
  public static final OnBehalfOf NOBODY = new OnBehalfOf(null, null, null);

  /** Leaves the token out, so that logging this record never leaks it. */
  @Override
  public String toString() {
    return "OnBehalfOf[caller=" + (caller == null ? null : caller.subject()) + ", project=" + project
        + (subjectToken == null ? "" : ", subjectToken=(redacted)") + "]";
  }
}
