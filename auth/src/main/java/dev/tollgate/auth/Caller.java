package dev.tollgate.auth;

import dev.tollgate.policy.Identity;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who sent a request, as proven by a verified token. Holds no token material, so it may be logged
 * and audited as is.
 *
 * @param subject the mapped subject claim, never blank
 * @param clientId the first mapped client-id claim present, or null
 * @param issuer the token's {@code iss} (the issuer URL, not the config name)
 * @param issuerName the config name of the issuer that verified the token ({@code issuers[].name}),
 *     which policy bindings name
 * @param groups union of the mapped group claims, sorted for stable audit lines
 * @param expiresAt the token's {@code exp}; the caller must not be trusted after it
 */
public record Caller(String subject, String clientId, String issuer, String issuerName, Set<String> groups,
    Instant expiresAt) {
  public Caller {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(issuerName, "issuerName");
    Objects.requireNonNull(expiresAt, "expiresAt");
    groups = Collections.unmodifiableSortedSet(new TreeSet<>(groups == null ? Set.of() : groups));
  }

  /**
   * The part of the caller the policy decides on, names qualified by the issuer that vouched for
   * them. Allocates one small record.
   */
  public Identity identity() {
    return new Identity(issuerName, subject, clientId, groups);
  }
}
